// Shared CLI output helpers: errors, JSON, tables.
import { AppError, StoreVersionError, type AppErrorCode } from '../app/errors.ts';
import { ConfigError } from '../config/load.ts';

/** Exit codes: 0 ok, 1 findings/rejects (the command ran, the data had problems), 2 usage or config error, 3 internal error. */
export const EXIT = { ok: 0, problems: 1, usage: 2, internal: 3 } as const;

export class UsageError extends Error {
  readonly code = 'usage';
}

export function reportError(err: unknown): void {
  if (err instanceof ConfigError || err instanceof UsageError || err instanceof StoreVersionError) {
    process.stderr.write(`tierwise: ${err.message}\n`);
    process.exitCode = EXIT.usage;
    return;
  }
  process.stderr.write(`tierwise: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = EXIT.internal;
}

/**
 * Runs a command whose use case answers with an AppError: the message on stderr, exit 1 (the data's
 * answer), or exit 2 for the codes that mean the command's own input was wrong (`usage`).
 */
export async function answering(fn: () => Promise<void>, usage: readonly AppErrorCode[] = []): Promise<void> {
  try {
    await fn();
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    process.stderr.write(`tierwise: ${err.message}\n`);
    process.exitCode = usage.includes(err.code) ? EXIT.usage : EXIT.problems;
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A plain text table with right-aligned numbers. */
export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map((c) => (typeof c === 'number' ? c.toLocaleString('en-US') : c)))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => String(r[i] ?? '').length)));
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number'));
  return cells
    .map((r, ri) => r.map((c, i) => (numeric[i] && ri > 0 ? String(c).padStart(widths[i] ?? 0) : String(c).padEnd(widths[i] ?? 0))).join('  ').trimEnd())
    .join('\n');
}

export const money = (cents: number): string =>
  `$${(cents / 100).toLocaleString('en-US', { minimumFractionDigits: cents % 100 === 0 ? 0 : 2, maximumFractionDigits: 2 })}`;
