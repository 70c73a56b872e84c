// JSON pointers (RFC 6901) for reports that say where in a body an item went wrong.
export interface ItemIssue {
  /** JSON pointer relative to the item, '' for the item itself */
  pointer: string;
  detail: string;
}

export const escapePointer = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');
export const toPointer = (path: readonly PropertyKey[]): string => path.map((p) => `/${escapePointer(String(p))}`).join('');
