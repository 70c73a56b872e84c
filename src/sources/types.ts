import type { ImportItem } from '../app/import-events.ts';

/** One line (or row) of a source file: either an event or the reason it was rejected. */
export type SourceItem = ImportItem;

/** Thrown when a whole file cannot be read as its format (e.g. a CSV header lacks a column). */
export class SourceFormatError extends Error {
  readonly code = 'source_format';
  constructor(readonly file: string, message: string) {
    super(`${file}: ${message}`);
  }
}
