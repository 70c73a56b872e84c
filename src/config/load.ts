// Reads tierwise.yaml. The only module that reads process.env (DESIGN.md section 2).
import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import type { z } from 'zod';
import { configSchema, type TierwiseConfig } from './schema.ts';

export interface ConfigIssue {
  /** e.g. plans[2].limits.api_calls */
  path: string;
  line?: number;
  column?: number;
  message: string;
}

export class ConfigError extends Error {
  readonly code = 'config_invalid';
  constructor(readonly file: string, readonly issues: ConfigIssue[]) {
    super(`${file}: invalid configuration\n${issues.map((i) => `  ${file}${i.line ? `:${i.line}:${i.column ?? 1}` : ''} ${i.path || '(root)'}: ${i.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export const DEFAULT_CONFIG_FILES = ['tierwise.yaml', 'tierwise.yml'];
export const EXAMPLE_CONFIG = new URL('../../examples/tierwise.yaml', import.meta.url).pathname;
export const DEFAULT_DB_PATH = '.tierwise/tierwise.db';

/** Which config file to use: the flag, then TIERWISE_CONFIG, then ./tierwise.yaml, then the bundled example. */
export function resolveConfigPath(flag?: string): string {
  if (flag) return resolve(flag);
  const env = process.env['TIERWISE_CONFIG'];
  if (env) return resolve(env);
  for (const f of DEFAULT_CONFIG_FILES) if (existsSync(f)) return resolve(f);
  return EXAMPLE_CONFIG;
}

/**
 * Which store to use: the flag, then TIERWISE_DB, then the config's store.url, then its store.path,
 * then the default file. A postgres:// URL selects the PostgreSQL store and is returned as it is.
 */
export function resolveDbPath(flag: string | undefined, cfg?: TierwiseConfig): string {
  const path = flag ?? process.env['TIERWISE_DB'] ?? cfg?.store?.url ?? cfg?.store?.path ?? DEFAULT_DB_PATH;
  // ':memory:' is the in-memory store, not a file name
  return path === ':memory:' || /^postgres(ql)?:\/\//i.test(path) ? path : resolve(path);

}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}

function locate(doc: Document, lc: LineCounter, path: readonly PropertyKey[]): { line: number; column: number } | undefined {
  // The deepest node that exists on the path: a missing key is reported where its parent is.
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n) as unknown[], true);
    if (isNode(node) && node.range) {
      const pos = lc.linePos(node.range[0]);
      return { line: pos.line, column: pos.col };
    }
  }
  return undefined;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const got = (issue as { input?: unknown }).input;
  if (issue.code === 'invalid_type') {
    return `expected ${issue.expected}${got === undefined ? ', but it is missing' : `, got ${JSON.stringify(got)}`}`;
  }
  // zod's own wording ("Invalid input", "Too big") says neither what was expected nor what came
  const generic = /^(Invalid input|Too big|Too small|expected )/.test(issue.message) && !issue.message.includes(", got ");
  return `${issue.message}${got !== undefined && generic ? `, got ${JSON.stringify(got)}` : ''}`;
}

export function parseConfig(text: string, file: string): TierwiseConfig {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(file, doc.errors.map((e) => {
      const pos = lc.linePos(e.pos[0]);
      return { path: '', line: pos.line, column: pos.col, message: `YAML: ${e.message.split('\n')[0]}` };
    }));
  }
  const parsed = configSchema.safeParse(doc.toJS(), { reportInput: true });
  if (!parsed.success) {
    throw new ConfigError(file, parsed.error.issues.flatMap((issue): ConfigIssue[] => {
      if (issue.code === 'unrecognized_keys') {
        // One issue per unknown key, located at the key itself (usually a typo).
        return issue.keys.map((key) => {
          const path = [...issue.path, key];
          return { path: formatPath(path), ...locate(doc, lc, path), message: `unknown key "${key}"` };
        });
      }
      return [{ path: formatPath(issue.path), ...locate(doc, lc, issue.path), message: describeIssue(issue) }];
    }));
  }
  return parsed.data;
}

export function loadConfig(file: string): TierwiseConfig {
  if (!existsSync(file)) throw new ConfigError(file, [{ path: '', message: 'file not found' }]);
  return parseConfig(readFileSync(file, 'utf8'), file);
}
