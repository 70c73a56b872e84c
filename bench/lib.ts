// Shared bench plumbing: figures, repeated runs, the table, the results file.
import { spawnSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface Figure {
  name: string;
  unit: string;
  /** median of the runs */
  ours: number;
  min: number;
  max: number;
  runs: number;
  reference?: { name: string; value: number };
  /** DESIGN.md section 5 target, as text with its direction */
  target?: { op: '>=' | '<='; value: number };
  note?: string;
}

export interface BenchContext {
  quick: boolean;
  tmp: string;
  runs: number;
  log: (msg: string) => void;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Runs fn `runs` times and returns median, min and max of what it returns. */
export async function repeat(runs: number, fn: (i: number) => Promise<number> | number): Promise<{ median: number; min: number; max: number; runs: number }> {
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) xs.push(await fn(i));
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), runs };
}

export function tierwiseCli(args: string[]): string {
  const r = spawnSync(process.execPath, [`${ROOT}bin/tierwise.mjs`, ...args], { encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`tierwise ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

export function machine(): Record<string, string | number> {
  return { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memGiB: Math.round(totalmem() / 2 ** 30), platform: process.platform };
}

const fmt = (x: number) => (Math.abs(x) >= 100 ? Math.round(x).toLocaleString('en-US') : Number(x.toPrecision(3)).toLocaleString('en-US'));

export function renderTable(figures: Figure[]): string {
  const rows = figures.map((f) => {
    const ratio = f.reference && f.reference.value > 0 ? `${(f.ours / f.reference.value).toFixed(2)}x` : '';
    const met = f.target ? (f.target.op === '>=' ? f.ours >= f.target.value : f.ours <= f.target.value) : undefined;
    return [
      f.name,
      `${fmt(f.ours)} ${f.unit}`,
      `${fmt(f.min)}..${fmt(f.max)} (n=${f.runs})`,
      f.reference ? `${fmt(f.reference.value)} (${f.reference.name})` : '',
      ratio,
      f.target ? `${f.target.op} ${fmt(f.target.value)} ${met ? 'met' : 'NOT met'}` : '',
    ];
  });
  const head = ['figure', 'ours (median)', 'min..max', 'reference', 'ratio', 'DESIGN target'];
  const all = [head, ...rows];
  const w = head.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all.map((r) => r.map((c, i) => c.padEnd(w[i] ?? 0)).join('  ').trimEnd()).join('\n');
}
