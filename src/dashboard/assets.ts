// Static assets served from the package itself: the page script and style sheet beside this file,
// and Chart.js's UMD build straight from node_modules, so there is no build step to forget.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Asset { path: string; type: string }

function chartJsPath(): string {
  // chart.js exports no subpath for its UMD file: resolve the package's main entry and go beside it.
  const main = createRequire(import.meta.url).resolve('chart.js');
  return join(dirname(main), 'chart.umd.min.js');
}

const here = dirname(fileURLToPath(import.meta.url));

export const ASSETS: Record<string, Asset> = {
  'dashboard.css': { path: join(here, 'assets', 'dashboard.css'), type: 'text/css; charset=utf-8' },
  'dashboard.js': { path: join(here, 'assets', 'dashboard.js'), type: 'text/javascript; charset=utf-8' },
  'chart.umd.min.js': { path: chartJsPath(), type: 'text/javascript; charset=utf-8' },
};

const cache = new Map<string, Buffer>();

export async function readAsset(name: string): Promise<{ body: Buffer; type: string } | undefined> {
  const a = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
  if (!a) return undefined;
  let body = cache.get(name);
  if (!body) cache.set(name, (body = await readFile(a.path)));
  return { body, type: a.type };
}
