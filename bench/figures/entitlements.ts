// Figure: entitlement checks over HTTP (T16: "fast enough to call on every page view"). A real
// `tierwise serve` child, autocannon from bench/http-entitlements.mjs asking
// GET /v1/entitlements/{account} across accounts on Pro, a tenth of them trying a module. The
// reference is GET /healthz on the same server with the same generator: the HTTP floor.
import { spawnSync } from 'node:child_process';
import { median, ROOT, type BenchContext, type Figure } from '../lib.ts';

interface Side { perSecond: number; non2xx: number; errors: number; latencyMs: { p50: number; p99: number } }
interface EntitlementRun { accounts: number; trials: number; connections: number; checks: Side; healthz: Side }

function runChecks(args: string[]): EntitlementRun {
  const r = spawnSync(process.execPath, [`${ROOT}bench/http-entitlements.mjs`, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`http-entitlements failed (${r.status}): ${r.stderr.slice(-1000)}`);
  return JSON.parse(r.stdout.slice(r.stdout.lastIndexOf('\n{') + 1)) as EntitlementRun;
}

export async function entitlementFigures(ctx: BenchContext): Promise<Figure[]> {
  const args = ctx.quick ? ['--accounts', '300', '--seconds', '3'] : ['--accounts', '2000', '--seconds', '10'];
  const runs: EntitlementRun[] = [];
  for (let i = 0; i < ctx.runs; i++) {
    const run = runChecks(args);
    if (run.checks.non2xx > 0 || run.checks.errors > 0) throw new Error(`entitlement checks: ${run.checks.non2xx} non-2xx answers, ${run.checks.errors} errors`);
    ctx.log(`entitlement checks: ${run.checks.perSecond}/s, p99 ${run.checks.latencyMs.p99} ms (healthz ${run.healthz.perSecond}/s)`);
    runs.push(run);
  }
  const first = runs[0]!;
  const note = `${first.accounts.toLocaleString('en-US')} accounts on Pro, ${first.trials} trying a module; ${first.connections} connections, every request a different account`;
  const fig = (name: string, unit: string, pick: (s: Side) => number, extra: Partial<Figure> = {}): Figure => {
    const xs = runs.map((r) => pick(r.checks));
    return { name, unit, ours: median(xs), min: Math.min(...xs), max: Math.max(...xs), runs: runs.length,
      reference: { name: 'GET /healthz, same server and load', value: median(runs.map((r) => pick(r.healthz))) }, note, ...extra };
  };
  return [
    fig('HTTP entitlement checks', 'checks/s', (s) => s.perSecond),
    fig('HTTP entitlement check latency p99', 'ms', (s) => s.latencyMs.p99),
  ];
}
