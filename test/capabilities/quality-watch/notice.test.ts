// notify: notice — a watch that fires posts one line in the feature's alerts channel (escaped,
// its replay links as Slack links), opens no incident and pages nobody; its recovery one more.
import { describe, expect, it } from 'vitest';
import { evaluateWatches } from '../../../src/capabilities/quality-watch/index.ts';
import { catalogFile } from '../../support/catalog.ts';
import { testClock } from '../../support/clock.ts';
import { useRunningApp } from '../../support/harness.ts';
import { waitForQueueIdle } from '../../support/queue.ts';
import { addWatches, storeMeasurements } from './helpers.ts';

const MIN = 60_000;
const START = Date.parse('2026-12-02T09:00:00Z');
const clock = testClock(START);
const ctx = useRunningApp({
  runtime: { clock },
  extra: async () => ({
    FAILSAFE_CONFIG: await catalogFile((t) =>
      addWatches(t, {
        conversation_turns: { band: { max: 12 }, for: '5m', notify: 'notice', unit: 'turns' },
      }),
    ),
  }),
});

async function minute(t: number, value: number, examples?: { url: string; label: string }[]) {
  clock.set(t + 30_000);
  await storeMeasurements(ctx.app.deps, [
    {
      metric: 'conversation_turns',
      at: new Date(t + 30_000).toISOString(),
      count: 10,
      sum: value * 10,
      ...(examples ? { examples } : {}),
    },
  ]);
  clock.set(t + MIN + 1_000);
  return (await evaluateWatches(ctx.app.deps)).changes;
}

describe('a notice watch', () => {
  it('posts one escaped line with its replay link when it fires, one when it recovers, and pages nobody', async () => {
    const changes = [];
    for (let m = 0; m < 30; m++) {
      const out = m >= 5 && m < 15;
      const examples =
        m === 6 ? [{ url: 'https://traces.example.com/t/1?a=<b>', label: '<@U0JANE> long chat' }] : undefined;
      changes.push(...(await minute(START + m * MIN, out ? 20 : 4, examples)));
    }
    expect(changes.map((c) => c.firing)).toEqual([true, false]);
    await waitForQueueIdle(ctx);
    const lines = ctx.fakes.slack.controls
      .messagesIn('C0ALERTS')
      .filter((m) => m.text.includes('Quality watch'));
    expect(lines.map((l) => l.text)).toEqual([
      ':mag: Quality watch: ai-support-bot: conversation turns 20 turns for 5 min (normal at most 12 turns). Replay: &lt;@U0JANE&gt; long chat.\n' +
        'Replay: <https://traces.example.com/t/1?a=%3Cb%3E|&lt;@U0JANE&gt; long chat>',
      ':white_check_mark: Quality watch: ai-support-bot: conversation turns back in band at 4 turns (normal at most 12 turns), after 10 min out.',
    ]);
    expect(await ctx.database.query('SELECT 1 FROM incident')).toEqual([]);
    expect(ctx.fakes.pd.state.incidents).toEqual([]);
  });
});
