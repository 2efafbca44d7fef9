// Kill-switch benchmark (issue #4): 20 kills of one flag on a real unleash-server, each from
// the modal's submit to an SDK (unleash-client, refreshInterval 1 s, as an application would
// run it) seeing the flag off. Failsafe runs in this process against real PostgreSQL and the
// fake Slack and PagerDuty; Slack requests are signed as Slack signs them.
import { performance } from 'node:perf_hooks';
import { createFlagWatcher } from '../src/adapters/flags.ts';
import { startFakePagerDuty } from '../src/sandbox/fakes/pagerduty.ts';
import { startFakeSlack } from '../src/sandbox/fakes/slack.ts';
import { createTestDatabase } from '../test/support/database.ts';
import { startApp } from '../test/support/harness.ts';
import { sendSlackRequest, slashCommandBody, viewSubmissionBody } from '../test/support/slack-request.ts';
import { startUnleash } from '../test/support/unleash.ts';
import { percentile } from './lib.ts';

const KILLS = Number(process.env.BENCH_KILLS ?? 20);
const FLAG = 'ai-support-bot';

export async function benchKillSwitch(): Promise<Record<string, number>> {
  const [database, unleash, pd, slack] = await Promise.all([
    createTestDatabase(),
    startUnleash(),
    startFakePagerDuty(),
    startFakeSlack(),
  ]);
  await unleash.createFlag(FLAG);
  await unleash.createFlag('ai-search-summaries');
  const fakes = { pd, slack, close: async () => {} };
  const app = await startApp(database.url, fakes, {
    UNLEASH_URL: unleash.url,
    UNLEASH_ADMIN_TOKEN: unleash.adminToken,
    UNLEASH_CLIENT_TOKEN: unleash.clientTokens,
  });
  // The application's SDK: polls every second, independent of Failsafe's own watcher.
  const sdk = createFlagWatcher({
    baseUrl: unleash.url,
    clientTokens: unleash.clientTokens.split(','),
    refreshIntervalMs: 1_000,
  });
  const toSdk: number[] = [];
  const toPost: number[] = [];
  try {
    for (let i = 0; i < KILLS; i++) {
      await setOn(unleash.url, unleash.adminToken);
      if (!(await sdk.waitFor('production', FLAG, (v) => v.enabled, 10_000)).seen)
        throw new Error('SDK never saw it on');
      const views = slack.state.views.length;
      await sendSlackRequest(
        `${app.url}/slack/events`,
        slashCommandBody({
          command: '/ai-kill',
          text: `${FLAG} bench ${i}`,
          channel_id: 'C0ALERTS',
          response_url: slack.controls.responseUrl(),
        }),
      );
      const view = await waitFor(() => slack.state.views[views]);
      const posts = slack.controls.messagesIn('C0ALERTS').length;
      const submitted = performance.now();
      const off = sdk.waitFor('production', FLAG, (v) => !v.enabled, 10_000, Date.now());
      const answer = await sendSlackRequest(
        `${app.url}/slack/events`,
        viewSubmissionBody({
          view: { id: view.id, ...view.view },
          values: { reason: { reason_input: `bench ${i}` } },
        }),
      );
      if (answer.status !== 200) throw new Error(`submit answered ${answer.status}`);
      const seen = await off;
      if (!seen.seen) throw new Error('SDK never saw the kill');
      toSdk.push(performance.now() - submitted);
      await waitFor(() =>
        slack.controls
          .messagesIn('C0ALERTS')
          .slice(posts)
          .find((m) => m.text.includes('is OFF in production')),
      );
      toPost.push(performance.now() - submitted);
    }
  } finally {
    sdk.close();
    await app.stop();
    await Promise.all([unleash.stop(), pd.close(), slack.close()]);
    await database.drop();
  }
  toSdk.sort((a, b) => a - b);
  toPost.sort((a, b) => a - b);
  return {
    kills: KILLS,
    'submit → SDK off p50 (ms)': Math.round(percentile(toSdk, 50)),
    'submit → SDK off p95 (ms)': Math.round(percentile(toSdk, 95)),
    'submit → confirmed post p50 (ms)': Math.round(percentile(toPost, 50)),
    'submit → confirmed post p95 (ms)': Math.round(percentile(toPost, 95)),
  };
}

async function setOn(url: string, token: string): Promise<void> {
  const res = await fetch(`${url}/api/admin/projects/default/features/${FLAG}/environments/production/on`, {
    method: 'POST',
    headers: { authorization: token },
  });
  if (!res.ok) throw new Error(`turning ${FLAG} on failed: ${res.status}`);
}

async function waitFor<T>(read: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}
