// @tierwise/sdk as its users get it: `npm pack` builds the tarball (ESM, types, browser bundle and
// nothing else), a scratch project installs it, plain Node (no tsx) imports it and tsc checks its
// types, and real Chromium loads the browser bundle from the installed package; both send events,
// decide and record an outcome against a real `tierwise serve`, and the page renders the
// drop-in upgrade prompt whose CTA records the click.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/adapters/sqlite/sqlite-store.ts';
import { EXAMPLE_CONFIG } from '../../src/config/load.ts';
import { launchChromium } from '../support/browser.ts';
import { listening, ROOT, tierwise, tierwiseAsync } from './cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'tierwise-sdkpkg-'));
const scratch = join(dir, 'scratch');
const db = join(dir, 'tw.db');
const npm = (args: string[], cwd: string) => spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
let child: ChildProcess | undefined;
let pageServer: Server | undefined;
let url = '';
let key = '';
let tarball = '';
let packed: string[] = [];

beforeAll(async () => {
  const pack = npm(['pack', '--json', '--pack-destination', dir], join(ROOT, 'packages/sdk'));
  expect(pack.status, pack.stderr).toBe(0);
  const info = (JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[])[0];
  tarball = join(dir, info?.filename ?? '');
  packed = (info?.files ?? []).map((f) => f.path).sort();

  mkdirSync(scratch);
  writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }));
  const install = npm(['install', tarball, '--no-audit', '--no-fund', '--offline', '--ignore-scripts'], scratch);
  expect(install.status, install.stderr).toBe(0);

  const cfg = join(dir, 'tierwise.yaml');
  writeFileSync(cfg, `${readFileSync(EXAMPLE_CONFIG, 'utf8')}\nhttp:\n  cors_origins: ["*"]\n`);
  key = (JSON.parse(tierwise(['keys', 'create', '--scope', 'ingest', '--name', 'sdk', '--db', db, '--json']).stdout) as { key: string }).key;
  child = tierwiseAsync(['serve', '--port', '0', '--host', '127.0.0.1', '--db', db, '--config', cfg]);
  url = (await listening(child)).url;
}, 180_000);

afterAll(async () => {
  child?.kill('SIGTERM');
  await new Promise<void>((resolve) => (pageServer ? pageServer.close(() => resolve()) : resolve()));
  rmSync(dir, { recursive: true, force: true });
});

// The world of a prompt: a Basic account near its API limit whose users keep meeting a gate.
const WORLD = `
  const day = 86400000, now = Date.now();
  tw.identifyAccount(account, { name: 'Acme ' + account }, { ts: new Date(now - 40 * day) });
  tw.track({ type: 'subscription', account, plan: 'basic', interval: 'month', mrr: 29900, status: 'active', ts: new Date(now - 40 * day) });
  tw.usage(account, 'api_calls', 9200, { user: 'u1', ts: new Date(now - 60000) });
  for (const user of ['u1', 'u2', 'u3']) for (let h = 1; h <= 3; h++) tw.gate(account, 'audit_logs', { user, ts: new Date(now - h * 3600000) });
  await tw.flush();
  // The engine folds on its own cycle: ask until it has seen the account (a new session each time).
  let d;
  for (let i = 0; i < 80; i++) {
    d = await tw.decide(account, 'u2', { session: 's' + i, feature: 'audit_logs' });
    if (d.show) break;
    await new Promise((r) => setTimeout(r, 250));
  }
`;

describe('the packed @tierwise/sdk', () => {
  it('the tarball holds the build and nothing else', () => {
    expect(packed).toEqual(['README.md', 'dist/browser.d.ts', 'dist/client.d.ts', 'dist/entitlements.d.ts', 'dist/errors.d.ts', 'dist/index.d.ts', 'dist/index.js', 'dist/prompt.d.ts', 'dist/prompt.js', 'dist/tierwise.browser.js', 'dist/tierwise.browser.js.map', 'dist/types.d.ts', 'package.json']);
  });

  it('plain Node imports it, sends events, decides and records an outcome; tsc checks code against its types', () => {
    writeFileSync(join(scratch, 'run.mjs'), `
      import { TierwiseClient, TierwiseError } from '@tierwise/sdk';
      const [url, key, account] = process.argv.slice(2);
      const tw = new TierwiseClient({ baseUrl: url, apiKey: key, flushIntervalMs: 0, maxRetries: 0 });
      ${WORLD}
      if (!d.show) throw new Error('no prompt: ' + d.code + ' ' + d.reason);
      const rec = await tw.recordOutcome(d.id, 'clicked');
      const err = await tw.startTrial(account).catch((e) => e);
      await tw.close();
      console.log(JSON.stringify({ target: d.prompt.target, outcome: rec.outcome, typed: err instanceof TierwiseError && err.code }));
    `);
    const run = spawnSync(process.execPath, ['run.mjs', url, key, 'globex'], { cwd: scratch, encoding: 'utf8', timeout: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ target: { id: 'pro', name: 'Pro' }, outcome: 'clicked', typed: 'forbidden' });

    writeFileSync(join(scratch, 'check.ts'), `
      import { TierwiseClient, type Decision } from '@tierwise/sdk';
      import { renderUpgradePrompt } from '@tierwise/sdk/prompt';
      const tw = new TierwiseClient({ baseUrl: 'http://x', apiKey: 'k' });
      export async function f(): Promise<string> {
        const d: Decision = await tw.decide('a', 'u');
        if (d.show) renderUpgradePrompt(d, { client: tw });
        return d.show ? d.prompt.target.name : d.code;
      }
      // @ts-expect-error: the types know the actions
      tw.reportPrompt('a', 'p', 'teleported');
    `);
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    writeFileSync(join(scratch, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2022', 'dom'], types: [] }, files: ['check.ts'] }));
    const check = spawnSync(process.execPath, [tsc, '-p', '.'], { cwd: scratch, encoding: 'utf8' });
    expect(check.status, check.stdout).toBe(0);
  }, 90_000);

  it('real Chromium loads the browser bundle: events, decide, the upgrade prompt rendered, its CTA recorded', async () => {
    const bundle = readFileSync(join(scratch, 'node_modules/@tierwise/sdk/dist/tierwise.browser.js'));
    pageServer = createServer((req, res) => {
      if (req.url === '/tierwise.browser.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
      else res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html><body><div id="slot"></div><script src="/tierwise.browser.js"></script></body></html>');
    });
    await new Promise<void>((resolve) => pageServer?.listen(0, '127.0.0.1', resolve));
    const address = pageServer.address();
    const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(origin);
      const decided = await page.evaluate(`(async () => {
        const tw = new Tierwise.TierwiseClient({ baseUrl: ${JSON.stringify(url)}, apiKey: ${JSON.stringify(key)}, flushIntervalMs: 0, maxRetries: 0 });
        const account = 'initech';
        ${WORLD}
        window.tw = tw; window.decision = d;
        if (!d.show) return { show: false, why: d.code + ' ' + d.reason };
        Tierwise.defineUpgradeElement();
        const el = document.createElement('tierwise-upgrade');
        el.options = { client: tw, labels: { features: { audit_logs: 'Audit logs' }, meters: { api_calls: 'API calls' } } };
        el.decision = d;
        document.getElementById('slot').append(el);
        window.ctaDone = new Promise((r) => el.addEventListener('tierwise-cta', () => r(true)));
        return { show: true, id: d.id };
      })()`) as { show: boolean; id?: string; why?: string };
      expect(decided, decided.why).toMatchObject({ show: true });
      const prompt = page.locator('tierwise-upgrade .tw-prompt');
      await expect.poll(() => prompt.count()).toBe(1);
      const text = await prompt.innerText();
      expect(text).toContain('Pro');
      expect(text).toContain('API calls');
      expect(text).toContain('Audit logs');
      expect(text).toMatch(/\$450\.00 more a month/);
      await page.locator('tierwise-upgrade .tw-cta').click();
      expect(await page.evaluate('window.ctaDone')).toBe(true);

      const store = openSqliteStore(db);
      const actions: string[] = [];
      for await (const r of store.readEvents({ account: 'initech', types: ['prompt'] })) if (r.event.type === 'prompt' && r.event.prompt === decided.id) actions.push(r.event.action);
      await store.close();
      expect(actions.sort()).toEqual(['clicked', 'shown']);
    } finally {
      await browser.close();
    }
  }, 90_000);
});
