// The dashboard in real headless Chromium (Debian's, or the one @sparticuz/chromium ships; driven by playwright-core) against a
// real `tierwise serve` on a simulated world: log in, filter, open an account and see its usage
// chart drawn, act on the pipeline, and see the metrics charts. Screenshots go to test-artifacts/.
import { wilson } from '../../src/app/proportions.ts';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './cli.ts';
import { startWorld, type World } from './dashboard-world.ts';

const SHOTS = join(ROOT, 'test-artifacts');
const XSS = '<img src=x onerror=alert(1)>';
const XSS_OWNER = '<script>alert(2)</script>';

let world: World;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const dialogs: string[] = [];

const shot = (name: string, full = true) => page.screenshot({ path: join(SHOTS, name), fullPage: full });

/** Has the canvas drawn anything: some pixel that is not fully transparent. (Browser code as a
 * string: the project's TypeScript has no DOM types.) */
const canvasDrawn = (selector: string): Promise<boolean> => page.evaluate(`(() => {
  const c = document.querySelector(${JSON.stringify(selector)});
  const ctx = c && c.getContext('2d');
  if (!ctx || c.width === 0 || c.height === 0) return false;
  const px = ctx.getImageData(0, 0, c.width, c.height).data;
  for (let i = 3; i < px.length; i += 4) if (px[i] !== 0) return true;
  return false;
})()`);

/** No element the attack text would have made, and no script ran. */
async function noInjection(): Promise<void> {
  expect(await page.locator('img[src="x"]').count()).toBe(0);
  expect(await page.evaluate("[...document.scripts].filter((s) => s.type !== 'application/json' && (s.textContent || '').includes('alert(')).length")).toBe(0);
  expect(dialogs).toEqual([]);
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  world = await startWorld();
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  page = await context.newPage();
  page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
});

afterAll(async () => {
  await browser?.close();
  await world?.stop();
});

describe('dashboard in a real browser', () => {
  it('asks for an admin key and refuses a wrong one', async () => {
    await page.goto(`${world.url}/`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.getByLabel('Admin API key').fill('tw_000000000000_notavalidkeynotavalidkeynotavalid00');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('unknown or revoked');
    await shot('01-login-error.png');
    await page.getByLabel('Admin API key').fill(world.key);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${world.url}/`);
    const cookie = (await context.cookies()).find((c) => c.name === 'tw_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    expect(cookie?.value).not.toContain(world.key.slice(3, 15));
  });

  it('lists ranked opportunities and filters them', async () => {
    const rows = page.locator('#opp-rows tr');
    expect(await rows.count()).toBeGreaterThan(10);
    expect(await page.getByRole('columnheader', { name: 'ARR delta' }).count()).toBe(1);
    await shot('02-opportunities.png');
    await page.getByLabel('Ready').selectOption('yes');
    await page.getByLabel('Segment').selectOption('smb');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/ready=yes/);
    expect(page.url()).toContain('segment=smb');
    const n = await rows.count();
    expect(n).toBeGreaterThan(0);
    const stages = await page.locator('#opp-rows td:nth-child(4)').allTextContents();
    for (const s of stages) expect(s).toContain('ready');
    expect(stages.join('')).not.toContain('not ready');
    await shot('03-opportunities-filtered.png');
  });

  it('finds an account by part of its name, sorts a column and exports the table as CSV', async () => {
    await page.goto(`${world.url}/`);
    const name = (await page.locator('#opp-rows tr th a').nth(3).textContent()) ?? '';
    const part = name.slice(1, 6);
    await page.getByLabel('Account').fill(part);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/[?&]q=/);
    const names = await page.locator('#opp-rows tr th a').allTextContents();
    expect(names).toContain(name);
    for (const n of names) expect(n.toLowerCase()).toContain(part.toLowerCase());

    await page.goto(`${world.url}/`);
    await page.getByRole('button', { name: 'Score' }).click();
    const up = (await page.locator('#opp-rows td:nth-child(3)').allTextContents()).map(Number);
    expect(up).toEqual([...up].sort((a, b) => a - b));
    expect(await page.locator('th[aria-sort="ascending"]').textContent()).toBe('Score');
    await page.getByRole('button', { name: 'Score' }).click();
    const down = (await page.locator('#opp-rows td:nth-child(3)').allTextContents()).map(Number);
    expect(down).toEqual([...up].sort((a, b) => b - a));

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download CSV' }).first().click()]);
    const csv = readFileSync(await download.path(), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('Account,Current → target plan,Score,Stage,Top reasons,ARR delta,Route,Owner,Age');
    expect(csv.length).toBe(down.length + 1);
    expect(csv[1]).toContain(String(down[0]));
  });

  it('refreshes the list as events arrive, and renders a hostile account name as text', async () => {
    await page.goto(`${world.url}/`);
    const first = await page.locator('#opp-rows tr th a').first().getAttribute('href');
    const account = decodeURIComponent(first?.split('/').pop() ?? '');
    expect(account).not.toBe('');
    const event = { id: `rename-${Date.now()}`, ts: new Date().toISOString(), account, type: 'account', traits: { name: XSS, csm: XSS_OWNER } };
    const r = await fetch(`${world.url}/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${world.key}`, 'content-type': 'application/json' }, body: JSON.stringify([event]) });
    expect(r.status).toBe(200);
    // The page polls: the new name arrives without a reload, announced in the live region.
    await page.getByText(XSS, { exact: true }).first().waitFor({ timeout: 20_000 });
    expect(await page.locator('#live').textContent()).toContain('List updated');
    await noInjection();
    await page.reload();
    await expect.poll(() => page.getByText(XSS, { exact: true }).first().isVisible()).toBe(true);
    expect(await page.locator('#f-owner option', { hasText: XSS_OWNER }).count()).toBe(1);
    await noInjection();
    await shot('04-opportunities-hostile-name.png');

    await page.getByRole('link', { name: XSS }).first().click();
    await page.waitForURL(/\/accounts\//);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(XSS);
    expect(await page.title()).toContain(XSS);
    await noInjection();
  });

  it('shows an account: usage chart against limits, signals, score, qualification, tier comparison', async () => {
    await page.goto(`${world.url}/?ready=yes`);
    await page.locator('#opp-rows tr th a').first().click();
    await page.waitForURL(/\/accounts\//);
    await page.locator('canvas[data-drawn="true"]').first().waitFor();
    expect(await canvasDrawn('#usage-0')).toBe(true);
    const label = await page.locator('#usage-0').getAttribute('aria-label');
    expect(label).toMatch(/against a limit of/);
    for (const h of ['Usage against limits, last 90 days', 'Signals now', 'Score breakdown', 'Qualification', 'Actions', 'Playbook progress', 'Timeline']) {
      expect(await page.getByRole('heading', { name: h }).count(), h).toBe(1);
    }
    expect(await page.locator('table.compare caption').textContent()).toBe('Current tier vs upgrade tier');
    expect(await page.locator('table.compare [aria-label="included"]').count()).toBeGreaterThan(0);
    expect(await page.getByText('Upgrade today (prorated)').count()).toBe(1);
    await shot('05-account.png');
  });

  it('starts a trial, moves a stage, hands off and closes from the account page', async () => {
    await page.goto(`${world.url}/pipeline`);
    // `run` opens opportunities only where a play acts, so they start at Qualified or later
    const card = page.locator('#col-qualified, #col-outreach_sent').locator('xpath=..').locator('.card a').first();
    await card.click();
    await page.waitForURL(/\/accounts\//);
    await page.getByRole('button', { name: /^Start .*trial$/ }).click();
    await expect.poll(() => page.locator('.flash').textContent()).toMatch(/^Trial of .* running until/);
    expect(await page.getByText(/^Trial of .* active$/).count()).toBeGreaterThan(0);

    await page.getByLabel('Stage', { exact: true }).selectOption('engaged');
    await page.getByRole('button', { name: 'Move stage' }).click();
    const flash = await page.locator('.flash').textContent();
    // Starting a trial moved the deal to Proposal already; Engaged is behind it and is refused.
    expect(flash).toMatch(/Moved to Engaged|not ahead of Proposal/);
    await page.getByLabel('Account executive').fill('ae-test');
    await page.getByRole('button', { name: 'Hand off to AE' }).click();
    await expect.poll(() => page.locator('.flash').textContent()).toContain('Handed off to ae-test');
    await shot('06-account-actions.png');
    await page.getByLabel('Won').check();
    await page.getByRole('button', { name: 'Close opportunity' }).click();
    await expect.poll(() => page.locator('.flash').textContent()).toBe('Closed won.');
    expect(await page.getByText(/Closed won · /).count()).toBeGreaterThan(0);
  });

  it('shows the pipeline board with counts and value', async () => {
    await page.goto(`${world.url}/pipeline`);
    expect(await page.locator('.column').count()).toBe(7);
    expect(Number(await page.locator('#col-closed_won').locator('xpath=..').locator('.count').textContent())).toBeGreaterThan(0);
    await shot('07-pipeline.png');
  });

  it('draws the metrics charts with their tables', async () => {
    await page.goto(`${world.url}/revenue`);
    await page.locator('#chart-mrr[data-drawn="true"]').waitFor();
    await page.locator('#chart-retention[data-drawn="true"]').waitFor();
    expect(await canvasDrawn('#chart-mrr')).toBe(true);
    expect(await canvasDrawn('#chart-retention')).toBe(true);
    expect(await page.locator('#chart-funnel[data-drawn="true"]').count()).toBe(1);
    expect(await page.getByRole('table', { name: 'MRR movements by month (USD)' }).count()).toBe(1);
    const sources = page.getByRole('table', { name: 'Conversion by signal source' });
    expect(await sources.count()).toBe(1);
    // every source's conversion sits inside its 95% interval, which is the Wilson interval of won / opportunities
    const rows = await sources.locator('tbody tr').all();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const [opps, won, conv, ci] = (await row.locator('td').allTextContents()).map((t) => t.trim());
      // a source with fewer than 10 opportunities shows no rate, only its counts and interval
      if (Number(opps) < 10) { expect(conv).toBe('too few (< 10)'); continue; }
      const [lo, hi] = ci!.split('-').map((x) => Number.parseFloat(x));
      const ref = wilson(Number(won), Number(opps))!;
      expect(lo).toBeCloseTo(ref[0] * 100, 1);
      expect(hi).toBeCloseTo(ref[1] * 100, 1);
      expect(Number.parseFloat(conv!)).toBeGreaterThanOrEqual(lo!);
      expect(Number.parseFloat(conv!)).toBeLessThanOrEqual(hi!);
    }
    await shot('08-metrics.png');
  });

  it('shows the catalog with its check, and the playbooks against their targets', async () => {
    await page.goto(`${world.url}/catalog`);
    expect(await page.getByRole('table', { name: 'Tiers, lowest first' }).count()).toBe(1);
    expect(await page.getByRole('heading', { name: 'Catalog check' }).count()).toBe(1);
    await shot('09-catalog.png');
    await page.goto(`${world.url}/playbooks`);
    expect(await page.locator('tbody tr').count()).toBeGreaterThan(0);
    await shot('10-playbooks.png');
  });

  it('is usable on a phone and by keyboard', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${world.url}/`);
    // No horizontal scrolling of the page itself on a phone.
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth + 1')).toBe(true);
    await shot('11-opportunities-phone.png', false);
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement && document.activeElement.textContent')).toBe('Skip to content');
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.getByRole('button', { name: /Log out/ }).click();
    await page.goto(`${world.url}/pipeline`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await noInjection();
  });
});
