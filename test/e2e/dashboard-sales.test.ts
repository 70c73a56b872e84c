// The account page's sales forms in real headless Chromium, against an in-process server on a small
// world: raise a CSM-observed opportunity from the form, tick the qualification checklist, read the
// talk track in the brief, close the deal lost with the loss-reason picker, and see the CSM-observation
// row in "Conversion by signal source". Screenshots go to test-artifacts/.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/adapters/memory/memory-store.ts';
import type { Store } from '../../src/app/ports.ts';
import { startServer, type RunningServer } from '../../src/compose.ts';
import { launchChromium } from '../support/browser.ts';
import { DAY, T0, worldEvents } from '../support/playbook-world.ts';
import { ROOT } from './cli.ts';
import { keysFor, testConfig } from './http-helpers.ts';

const SHOTS = join(ROOT, 'test-artifacts');
let store: Store;
let server: RunningServer;
let browser: Browser;
let page: Page;
let key = '';

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  store = createMemoryStore();
  await store.appendEvents(worldEvents());
  key = (await keysFor(store)).admin;
  // no playbooks: the only opportunity is the one raised on the page
  server = await startServer({ store, config: testConfig({ playbooks: [] }), port: 0, host: '127.0.0.1', now: () => T0 + 21 * DAY, runEngine: true, engineCycleMs: 20, playbookRunMs: 1_000, deliverMs: 1_000 });
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await store?.close();
});

const flash = () => page.locator('.flash').textContent();

describe('the sales forms on the account page', () => {
  it('raises a CSM-observed opportunity from the form', async () => {
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Admin API key').fill(key);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${server.url}/`);
    await page.goto(`${server.url}/accounts/acme`);
    await page.getByLabel('Offer', { exact: true }).selectOption('enterprise');
    await page.getByLabel('Source', { exact: true }).selectOption('csm_observation');
    await page.getByLabel('What you observed').fill('asked about SSO on the weekly call');
    await page.getByRole('button', { name: 'Raise opportunity' }).click();
    await expect.poll(flash).toBe('Opportunity raised: Enterprise, CSM observation.');
    expect(await page.getByText(/Trigger Identified · basic → Enterprise/).count()).toBe(1);
  });

  it('shows the qualification checklist and saves it', async () => {
    const form = page.getByRole('group', { name: /Qualification checklist/ });
    expect(await form.getByRole('checkbox').count()).toBe(5);
    await form.getByLabel('Budget confirmed *').check();
    await form.getByLabel('Budget confirmed: note').fill('FY26 tooling budget');
    await form.getByLabel('Approver identified *').check();
    await form.getByRole('button', { name: 'Save qualification' }).click();
    await expect.poll(flash).toBe('Qualification saved; before Proposal: initial goals met on the current tier, customer can articulate the ROI, decision timeline agreed.');
    const saved = page.getByRole('group', { name: /Qualification checklist/ });
    expect(await saved.getByLabel('Budget confirmed *').isChecked()).toBe(true);
    expect(await saved.getByLabel('Budget confirmed: note').inputValue()).toBe('FY26 tooling budget');
    expect(await saved.getByLabel('Decision timeline agreed *').isChecked()).toBe(false);
  });

  it('renders the talk track in the brief, with the account\'s numbers and feature names', async () => {
    const track = page.getByRole('region', { name: 'Talk track' });
    expect(await track.getByText('How is Basic working for your team?', { exact: false }).count()).toBe(1);
    expect(await track.getByText(/\$1,700 a month more/).count()).toBe(1);
    const objections = await track.locator('dl.objections dt').allTextContents();
    expect(objections).toEqual(['Price / budget', 'Timing', 'No need', 'Authority / approval', 'Competitor', 'Product gap']);
    expect(await track.locator('dl.objections dd').first().textContent()).toContain('Single sign-on');
    await page.screenshot({ path: join(SHOTS, '12-account-sales.png'), fullPage: true });
  });

  it('closing lost needs a reason from the picker', async () => {
    await page.getByLabel('Lost', { exact: true }).check();
    await page.getByRole('button', { name: 'Close opportunity' }).click();
    await expect.poll(flash).toContain('Not done: closing as lost needs a reason from the objections taxonomy');
    await page.getByLabel('Lost', { exact: true }).check();
    await page.getByLabel('Loss reason (when lost)').selectOption({ label: 'Timing' });
    await page.getByRole('button', { name: 'Close opportunity' }).click();
    await expect.poll(flash).toBe('Closed lost: Timing.');
    expect(await page.getByText('Lost to:').locator('strong').textContent()).toBe('Timing');
  });

  it('counts the opportunity in the CSM-observation row of conversion by signal source', async () => {
    await page.goto(`${server.url}/revenue`);
    const row = page.getByRole('table', { name: 'Conversion by signal source' }).getByRole('row', { name: /CSM observation/ });
    expect((await row.locator('td').allTextContents()).slice(0, 2)).toEqual(['1', '0']);
  });
});
