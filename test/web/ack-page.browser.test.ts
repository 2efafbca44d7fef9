// The ack page as the paged person sees it: headless Chromium at a phone's size, scripts off,
// open the link from the paged person's DM, tap Acknowledge, and check PagerDuty and Slack changed.
import os from 'node:os';
import path from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { genericAlert, postAlert, useRunningApp } from '../support/harness.ts';
import { waitUntil } from '../support/wait.ts';

const VIEWPORT = { width: 360, height: 740 };
const running = useRunningApp();
let browser: Browser;

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
});
afterAll(async () => {
  await browser?.close();
});

/** Opens an incident with a long title and returns it with its link from the paged person's DM. */
async function openIncident() {
  const { app, fakes, database } = running;
  const summary = 'Support bot promises refunds nobody approved, across every locale and channel (phone-1)';
  await postAlert(app, 'generic', genericAlert('phone-1', 'ai-support-bot', { summary }));
  const [row] = await waitUntil(
    () =>
      database.query('SELECT id, slack_ts, pd_incident_id FROM incident WHERE title LIKE $1', [
        '%(phone-1)%',
      ]),
    (rows) => rows[0]?.slack_ts != null,
  );
  const incident = row as { id: string; slack_ts: string; pd_incident_id: string };
  const dm = await fakes.slack.waitForMessage((m) => m.channel === 'DU0JANE' && m.text.includes('(phone-1)'));
  const url = /<(http[^|>]+\/ack\/[^|>]+)\|Acknowledge/.exec(dm.text)?.[1];
  expect(url).toBeDefined();
  return { incident, link: `${app.url}${new URL(url as string).pathname}` };
}

it('acknowledges from a 360 px phone without JavaScript', async () => {
  const { fakes } = running;
  const { incident, link } = await openIncident();
  const context = await browser.newContext({ viewport: VIEWPORT, javaScriptEnabled: false });
  const page = await context.newPage();
  try {
    const opened = await page.goto(link);
    expect(opened?.status()).toBe(200);
    expect(await page.locator('h1').textContent()).toContain('Support bot promises refunds');
    // A string, not a function: the tests compile without the DOM's types.
    const overflow = () => page.evaluate<number>('document.scrollingElement.scrollWidth');
    expect(await overflow()).toBeLessThanOrEqual(VIEWPORT.width);
    await page.screenshot({ path: path.join(os.tmpdir(), 'failsafe-ack-page.png'), fullPage: true });

    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await page.waitForURL(/\?done=acknowledge$/);
    const notice = await page.getByRole('status').textContent();
    expect(notice).toContain('Acknowledged by Jane Doe from the one-tap link');
    expect(await page.getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);
    expect(await overflow()).toBeLessThanOrEqual(VIEWPORT.width);
    await page.screenshot({ path: path.join(os.tmpdir(), 'failsafe-ack-result.png'), fullPage: true });
  } finally {
    await context.close();
  }
  const puts = fakes.pd.state.requests.filter(
    (r) => r.method === 'PUT' && r.path === `/incidents/${incident.pd_incident_id}`,
  );
  expect(puts.map((r) => r.headers.from)).toEqual(['jane@example.com']);
  await fakes.slack.waitForMessage(
    (m) => m.ts === incident.slack_ts && m.text.includes('Acknowledged by Jane Doe from the one-tap link'),
  );
});
