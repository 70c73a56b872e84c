// One way for every browser test to find Chromium without root or a download from outside npm:
// $TIERWISE_CHROMIUM, else Debian's /usr/bin/chromium when present, else the headless Chromium
// that @sparticuz/chromium ships inside its npm package (unpacked to /tmp on first use).
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function chromiumPath(): Promise<{ path: string; args: string[] }> {
  const fromEnv = process.env.TIERWISE_CHROMIUM;
  if (fromEnv) return { path: fromEnv, args: FLAGS };
  if (existsSync('/usr/bin/chromium')) return { path: '/usr/bin/chromium', args: FLAGS };
  const packaged = (await import('@sparticuz/chromium')).default;
  packaged.setGraphicsMode = false;
  // the package's own flags (single process, no zygote...) are what its build is made to run with
  return { path: await packaged.executablePath(), args: [...new Set([...packaged.args, ...FLAGS])] };
}

export async function launchChromium(): Promise<Browser> {
  const { path, args } = await chromiumPath();
  return chromium.launch({ executablePath: path, headless: true, args });
}
