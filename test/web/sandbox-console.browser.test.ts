// The sandbox console as a new user sees it after `npm start`, in headless Chromium: the
// sample alert's page message drawn as Slack draws it, Acknowledge clicked there, and the
// message changing in place (server-sent events, no reload). Screenshots at a phone's and a
// laptop's width go to test/artifacts/ (ignored by git: they change on every run).
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { useSandboxConsole } from '../sandbox/console-process.ts';

const ARTIFACTS = path.resolve(import.meta.dirname, '../artifacts');
const sandbox = useSandboxConsole('failsafe-console-browser-');
let browser: Browser;

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
});
afterAll(async () => {
  await browser?.close();
});

/** The #alerts message with the incident buttons. */
const pageMessage = (page: Page) =>
  page.locator('li.slack-message[data-channel="C0ALERTS"]').filter({ has: page.locator('.bk-actions') });
/** Jane says `text` in `channel` through the console's form (a plain POST has no Origin to refuse). */
async function postSay(channel: string, text: string) {
  const res = await fetch(`${sandbox.url}/sandbox/channel/${channel}/say`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ user: 'U0JANE', text }).toString(),
    redirect: 'manual',
  });
  expect(res.status).toBe(303);
}
// Strings, not functions: the tests compile without the DOM's types.
const scrollWidth = (page: Page) => page.evaluate<number>('document.scrollingElement.scrollWidth');

it('shows the page message as Slack does, and Acknowledge changes it live', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  try {
    await page.goto(`${sandbox.url}/sandbox`);
    // Sent once the page listens: the message must arrive through the event stream.
    await page.evaluate('window.__loadedOnce = true');
    await sandbox.sendSampleAlert();
    const message = pageMessage(page);
    await message.getByText('Paged Jane Doe').waitFor({ timeout: 30_000 });
    expect(await message.locator('b', { hasText: 'AI support bot' }).count()).toBeGreaterThan(0);
    expect(await message.textContent()).toContain('🔴');
    expect(await message.locator('.bk-mention').first().textContent()).toBe('@Jane Doe');
    const buttons = message.locator('.bk-actions button');
    expect(await buttons.allTextContents()).toEqual(['Acknowledge', 'Resolve', 'Escalate']);
    expect(await page.evaluate<boolean>('window.__loadedOnce === true')).toBe(true);

    await message.getByRole('button', { name: 'Acknowledge' }).click();
    await pageMessage(page).getByText('Acknowledged by Jane Doe from Slack').waitFor({ timeout: 30_000 });
    expect(await pageMessage(page).textContent()).toContain('ACKNOWLEDGED');
    // Same document: the click and the change came without a reload.
    expect(await page.evaluate<boolean>('window.__loadedOnce === true')).toBe(true);
    expect(await page.locator('li', { hasText: 'acknowledged, assigned to Jane Doe' }).count()).toBe(1);

    // A long unbroken link, as people paste them: it must wrap, not widen the page (it made it 2,245 px).
    const long = `https://grafana.example/d/${'a1b2c3d4'.repeat(40)}`;
    await postSay('C0ALERTS', `See ${long}`);
    await page.locator('li.slack-message', { hasText: 'grafana.example' }).waitFor();
    for (const width of [1280, 360]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await scrollWidth(page)).toBeLessThanOrEqual(width);
      await page.screenshot({ path: path.join(ARTIFACTS, `sandbox-console-${width}.png`), fullPage: true });
    }
  } finally {
    await context.close();
  }
}, 90_000);
