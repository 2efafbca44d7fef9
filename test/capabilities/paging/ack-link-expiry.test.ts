// "The link expires at 24 h", with the app's own clock moved, not a token made to look old:
// the same link opens one second before its 24 hours are up and answers 410 one second after.
import { expect, it } from 'vitest';
import { testClock } from '../../support/clock.ts';
import { genericAlert, postAlert, useRunningApp } from '../../support/harness.ts';

const clock = testClock(Date.now(), { ticking: true });
const running = useRunningApp({ runtime: { clock } });
const HOUR = 3_600_000;

it('opens until 24 hours after the page and answers 410 after that', async () => {
  const pagedAt = clock.now().getTime();
  expect((await postAlert(running.app, 'generic', genericAlert('expiry-1'))).status).toBe(202);
  const dm = await running.fakes.slack.waitForMessage(
    (m) => m.channel === 'DU0JANE' && m.text.includes('(expiry-1)'),
  );
  const url = /<(http[^|>]+\/ack\/[^|>]+)\|Acknowledge as Jane Doe/.exec(dm.text)?.[1];
  const link = `${running.app.url}${new URL(url ?? 'http://missing/').pathname}`;

  clock.set(pagedAt + 24 * HOUR - 60_000);
  const before = await fetch(link);
  expect(before.status).toBe(200);
  expect(await before.text()).toContain('Acknowledge as Jane Doe');

  clock.set(pagedAt + 24 * HOUR + 60_000);
  const after = await fetch(link);
  expect(after.status).toBe(410);
  expect(await after.text()).toContain('This link has expired');
});
