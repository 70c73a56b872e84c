// Builds @tierwise/sdk into dist/: ESM for Node and bundlers (index.js, prompt.js), type
// declarations (tsc), and a minified browser bundle for a plain <script> tag (global `Tierwise`).
// Run by `npm pack` (prepack) and by the repository's pretest, so a fresh clone tests what ships.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
rmSync(dist, { recursive: true, force: true });

const common = { absWorkingDir: here, bundle: true, target: ['es2022'], legalComments: 'none', logLevel: 'warning' };
await build({ ...common, entryPoints: ['src/index.ts', 'src/prompt.ts'], outdir: 'dist', format: 'esm', platform: 'neutral', splitting: true, chunkNames: 'chunks/[name]-[hash]' });
await build({ ...common, entryPoints: ['src/browser.ts'], outfile: 'dist/tierwise.browser.js', format: 'iife', globalName: 'Tierwise', platform: 'browser', minify: true, sourcemap: true });

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const r = spawnSync(process.execPath, [tsc, '-p', join(here, 'tsconfig.json')], { stdio: 'inherit' });
if (r.status !== 0) {
  console.error('@tierwise/sdk: tsc failed');
  process.exit(r.status ?? 1);
}

// tsc keeps the sources' `./x.ts` specifiers in declarations; what ships is `./x.js` + `./x.d.ts`.
for (const f of readdirSync(dist)) {
  if (!f.endsWith('.d.ts')) continue;
  const file = join(dist, f);
  writeFileSync(file, readFileSync(file, 'utf8').replace(/(from\s+['"]\.{1,2}\/[^'"]+)\.ts(['"])/g, '$1.js$2'));
}
