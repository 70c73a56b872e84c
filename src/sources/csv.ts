// CSV files of accounts or subscriptions, for teams whose CRM or billing export is a spreadsheet.
// Column mapping (header names are case-insensitive; docs/import.md):
//   accounts:      account, ts, name, [employees, industry, segment, csm, ae, renewal_at, id, any other -> trait]
//   subscriptions: account, ts, plan, interval, mrr (cents a month), status, [seats, discount_pct, term_months, id, any other -> extra]
// Without an `id` column the id is derived from the row's content (kind, account and a hash of every
// cell), so re-importing is idempotent and two rows that differ in any cell never collide: a cancel
// row and a new-period row of one account on one date are two events.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { parseCanonical } from './canonical.ts';
import { SourceFormatError, type SourceItem } from './types.ts';

export type CsvKind = 'accounts' | 'subscriptions';

export const CSV_COLUMNS: Record<CsvKind, { required: string[]; numeric: string[]; fields: string[] }> = {
  accounts: {
    required: ['account', 'ts', 'name'],
    numeric: ['employees'],
    fields: ['name', 'employees', 'industry', 'segment', 'csm', 'ae', 'renewal_at'],
  },
  subscriptions: {
    required: ['account', 'ts', 'plan', 'interval', 'mrr', 'status'],
    numeric: ['mrr', 'seats', 'discount_pct', 'term_months'],
    fields: ['plan', 'interval', 'mrr', 'status', 'seats', 'discount_pct', 'term_months'],
  },
};

export function detectCsvKind(header: string[]): CsvKind | undefined {
  if (header.includes('plan')) return 'subscriptions';
  if (header.includes('name')) return 'accounts';
  return undefined;
}

function toNumber(col: string, v: string): number | string {
  const n = Number(v);
  return v.trim() !== '' && Number.isFinite(n) ? n : `${col}: expected a number, got ${JSON.stringify(v)}`;
}

export function csvRowToItem(kind: CsvKind, line: number, raw: string, row: Record<string, string>): SourceItem {
  const spec = CSV_COLUMNS[kind];
  const missing = spec.required.filter((c) => row[c] === undefined || row[c] === '');
  if (missing.length) return { line, raw, error: `missing value for column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}` };
  const values: Record<string, unknown> = {};
  for (const [col, v] of Object.entries(row)) {
    if (v === undefined || v === '' || col === 'account' || col === 'ts' || col === 'id') continue;
    if (spec.numeric.includes(col)) {
      const n = toNumber(col, v);
      // A required number (mrr) rejects the row; an optional one goes on as text and comes back as a warning.
      if (typeof n === 'string' && spec.required.includes(col)) return { line, raw, error: n };
      values[col] = typeof n === 'string' ? v : n;
    } else {
      values[col] = v;
    }
  }
  const account = row['account'] as string;
  const ts = row['ts'] as string;
  const id = row['id'] || contentId(kind, account, row);
  const obj = kind === 'accounts'
    ? { id, ts, account, type: 'account', traits: values }
    : { id, ts, account, type: 'subscription', ...values };
  const r = parseCanonical(obj);
  if (!r.ok) return { line, raw, error: r.error };
  if (!r.warnings) return { line, raw, event: r.event };
  // Name the column the user wrote, not the canonical path (traits.renewal_at -> renewal_at).
  return { line, raw, event: r.event, warnings: r.warnings.map((w) => ({ ...w, field: w.field.replace(/^traits\./, '') })) };
}

/**
 * The default id of a row without one: its content, column by column (header names, not positions,
 * so the same data under a reordered header keeps its ids; empty cells left out, as they carry nothing).
 */
export function contentId(kind: CsvKind, account: string, row: Record<string, string>): string {
  const cells = Object.entries(row).filter(([col, v]) => col !== 'id' && v !== '').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const hash = createHash('sha256').update(JSON.stringify(cells)).digest('hex').slice(0, 32);
  return `csv:${kind}:${account}:${hash}`;
}

export async function* readCsv(file: string, forcedKind?: CsvKind, onBytes?: (bytes: number) => void): AsyncGenerator<SourceItem[]> {
  const input = createReadStream(file);
  if (onBytes) input.on('data', (c) => onBytes(c.length));
  const parser = input.pipe(parse({ relax_column_count: true, skip_empty_lines: true, info: true, raw: true, bom: true, trim: true }));
  let header: string[] | undefined;
  let kind: CsvKind | undefined = forcedKind;
  let batch: SourceItem[] = [];
  for await (const rec of parser as AsyncIterable<{ record: string[]; info: { lines: number }; raw: string }>) {
    if (!header) {
      header = rec.record.map((h) => h.trim().toLowerCase());
      kind ??= detectCsvKind(header);
      if (!kind) throw new SourceFormatError(file, `cannot tell whether this CSV holds accounts (needs a "name" column) or subscriptions (needs a "plan" column); header: ${header.join(',')}`);
      const missing = CSV_COLUMNS[kind].required.filter((c) => !header?.includes(c));
      if (missing.length) throw new SourceFormatError(file, `line 1: the ${kind} CSV lacks column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (required: ${CSV_COLUMNS[kind].required.join(', ')})`);
      continue;
    }
    const raw = rec.raw.replace(/\r?\n$/, '');
    if (rec.record.length > header.length) {
      batch.push({ line: rec.info.lines, raw, error: `${rec.record.length} fields, the header has ${header.length}` });
    } else {
      const row: Record<string, string> = {};
      header.forEach((h, i) => { const v = rec.record[i]; if (v !== undefined) row[h] = v; });
      batch.push(csvRowToItem(kind as CsvKind, rec.info.lines, raw, row));
    }
    if (batch.length >= 5_000) {
      yield batch;
      batch = [];
    }
  }
  if (!header) throw new SourceFormatError(file, 'empty CSV: no header line');
  if (batch.length) yield batch;
}
