// Runs the real `tierwise` command as a child process.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = `${ROOT}bin/tierwise.mjs`;

export interface CliResult { code: number | null; stdout: string; stderr: string }

export function tierwise(args: string[], env: Record<string, string> = {}, cwd = ROOT): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function tierwiseAsync(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * A `tierwise serve` child's URL, once it prints "listening on"; rejects with its stderr when it exits
 * first. `stderr()` keeps collecting for the caller's failure messages.
 */
export async function listening(child: ChildProcess, name = 'serve'): Promise<{ url: string; stderr: () => string }> {
  let err = '';
  child.stderr?.on('data', (d: Buffer) => { err += d.toString(); });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1] as string);
    });
    child.once('exit', (code) => reject(new Error(`${name} exited ${code}: ${err}`)));
  });
  return { url, stderr: () => err };
}

/** How a child ended, waiting for it if it has not. */
export const exited = (c: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> => new Promise((resolve) => {
  if (c.exitCode !== null || c.signalCode !== null) resolve({ code: c.exitCode, signal: c.signalCode });
  else c.once('exit', (code, signal) => resolve({ code, signal }));
});

/** A dashboard session cookie for KEY, through the login form and its CSRF token as a browser would. */
export async function dashboardCookie(url: string, key: string): Promise<string> {
  const form = await fetch(`${url}/login`);
  const csrf = /name="csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
  const loginCookie = (form.headers.getSetCookie().find((c) => c.startsWith('tw_login=')) ?? '').split(';')[0] ?? '';
  const r = await fetch(`${url}/login`, {
    method: 'POST', redirect: 'manual', body: new URLSearchParams({ key, csrf }),
    headers: { cookie: loginCookie, 'content-type': 'application/x-www-form-urlencoded' },
  });
  const session = (r.headers.getSetCookie().find((c) => c.startsWith('tw_session=')) ?? '').split(';')[0] ?? '';
  if (!session) throw new Error(`dashboard login refused (${r.status})`);
  return session;
}
