// NDJSON of canonical events: one JSON object per line; blank lines are skipped.
import { parseCanonical } from './canonical.ts';
import { readLines } from './lines.ts';
import type { SourceItem } from './types.ts';

export function parseNdjsonLine(n: number, text: string, decodeError?: string): SourceItem | undefined {
  if (decodeError) return { line: n, raw: text, error: decodeError };
  if (text.trim() === '') return undefined;
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (err) {
    return { line: n, raw: text, error: `invalid JSON: ${(err as Error).message}` };
  }
  const r = parseCanonical(obj);
  if (!r.ok) return { line: n, raw: text, error: r.error };
  return r.warnings ? { line: n, raw: text, event: r.event, warnings: r.warnings } : { line: n, raw: text, event: r.event };
}

export async function* readNdjson(file: string, onBytes?: (bytes: number) => void): AsyncGenerator<SourceItem[]> {
  for await (const lines of readLines(file, onBytes)) {
    const items: SourceItem[] = [];
    for (const l of lines) {
      const item = parseNdjsonLine(l.n, l.text, l.error);
      if (item) items.push(item);
    }
    yield items;
  }
}
