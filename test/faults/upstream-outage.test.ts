// Fault 5 of the suite: PagerDuty answers 503 to every call for five simulated minutes while
// Slack answers 429 (Retry-After: 1) to every call for the first one. Afterwards: one page,
// one "unreachable" note, and every Slack message delivered once — counted as the requests
// the fakes received, once the queue is idle.
//
// Simulated time: the app and the test share a clock that stands still; the test moves it a
// minute forward for each failed page attempt, PAGE_BACKOFF's cap (in a real outage a retry
// comes at most a minute after the last). The queue's waits are real, with the jitter fixed at
// 1% of its ceiling (a minute's wait takes 0.6 s; 0 would retry PagerDuty in a hot loop), and
// Slack's Retry-After still their floor: five minutes take a few seconds.
import { describe, expect, it } from 'vitest';
import type { FakeCall } from '../../src/sandbox/fakes/slack-state.ts';
import { testClock } from '../support/clock.ts';
import { genericAlert, postAlert, useRunningApp } from '../support/harness.ts';
import { waitForQueueIdle } from '../support/queue.ts';
import { waitUntil } from '../support/wait.ts';

const MINUTE = 60_000;
const clock = testClock('2026-11-02T09:00:00Z');
const ctx = useRunningApp({ runtime: { clock, queue: { random: () => 0.01 } } });

const keyOf = (c: FakeCall) =>
  String((c.args.metadata as { event_payload?: { key?: unknown } } | undefined)?.event_payload?.key ?? '');
const postCalls = () => ctx.fakes.slack.state.calls.filter((c) => c.method === 'chat.postMessage');
const delivered = () => postCalls().filter((c) => c.response?.body.ok);

async function pageAttempts(): Promise<number> {
  const [row] = await ctx.database.query<{ attempts: number }>(
    "SELECT attempts FROM outbound_effect WHERE key LIKE 'page:%'",
  );
  return row?.attempts ?? 0;
}

describe('PagerDuty down for five minutes, Slack rate-limiting everything for the first', () => {
  it('pages once, says "unreachable" once, and delivers each message once after the 429s', async () => {
    const { pd, slack } = ctx.fakes;
    const began = clock.ms;
    pd.setDown(true);
    slack.controls.failAll({ status: 429, retryAfterSeconds: 1 });
    expect((await postAlert(ctx.app, 'generic', genericAlert('outage-1'))).status).toBe(202);

    let minutesSeen = 0;
    // How many requests each fake had received when its outage ended.
    let slackBackAt: number | undefined;
    let pdBackAt: number | undefined;
    // One step of the simulation per poll: the clock follows the failed page attempts, and each
    // upstream comes back once its outage is over on that clock.
    const step = async () => {
      const attempts = await pageAttempts();
      for (; minutesSeen < attempts && pdBackAt === undefined; minutesSeen++) clock.advance(MINUTE);
      const elapsed = clock.ms - began;
      // Over only once the app has really met the 429s, retried, and met them again.
      const limited = slack.state.calls.filter((c) => c.response?.status === 429).length;
      if (slackBackAt === undefined && elapsed >= MINUTE && limited >= 2) {
        slack.controls.stopFailing();
        slackBackAt = slack.state.calls.length;
      }
      if (pdBackAt === undefined && elapsed >= 5 * MINUTE && slackBackAt !== undefined) {
        pd.setDown(false);
        pdBackAt = pd.state.requests.length;
      }
      return pdBackAt !== undefined;
    };
    await waitUntil(step, (over) => over, {
      what: "five simulated minutes of outage, the app retrying through Slack's 429s",
      timeoutMs: 30_000,
    });
    const [incident] = await waitUntil(
      () =>
        ctx.database.query<{ id: string; slack_ts: string | null; pd_dedup_key: string }>(
          'SELECT id, slack_ts, pd_dedup_key FROM incident',
        ),
      (rows) => rows[0]?.slack_ts != null,
      { what: 'the incident message after the outage', timeoutMs: 20_000 },
    );
    await waitForQueueIdle(ctx);

    // Five failed page attempts at least (one per simulated minute), then one page.
    expect(minutesSeen).toBeGreaterThanOrEqual(5);
    const creates = pd.state.requests.filter((r) => r.method === 'POST' && r.path === '/incidents');
    expect(creates).toHaveLength(1);
    expect(pd.state.requests.indexOf(creates[0] as never)).toBeGreaterThanOrEqual(pdBackAt as number);
    expect(pd.state.incidents.filter((i) => i.incident_key === incident?.pd_dedup_key)).toHaveLength(1);

    // One "unreachable" note in the channel (and one DM), whatever the 429s and PD retries did.
    const notes = delivered().filter(
      (c) => c.args.channel === 'C0ALERTS' && String(c.args.text).includes('PagerDuty is unreachable'),
    );
    expect(notes).toHaveLength(1);
    expect(slack.controls.messagesIn('C0ALERTS').filter((m) => m.text.includes('unreachable'))).toHaveLength(
      1,
    );

    // Every message went out once, each after Slack's minute of 429s.
    const perKey = new Map<string, number>();
    for (const c of delivered()) perKey.set(keyOf(c), (perKey.get(keyOf(c)) ?? 0) + 1);
    const id = incident?.id as string;
    expect([...perKey.keys()].map((k) => k.replace(id, '<id>')).sort()).toEqual([
      'page-dm:<id>:PUSER1:0:1',
      'slack-post:<id>',
      'unreachable-dm:<id>',
      'unreachable-post:<id>',
    ]);
    expect([...perKey.values()]).toEqual([1, 1, 1, 1]);
    const { calls } = slack.state;
    expect(delivered().every((c) => calls.indexOf(c) >= (slackBackAt as number))).toBe(true);
    expect(postCalls().some((c) => c.response?.status === 429)).toBe(true);
  }, 60_000);
});
