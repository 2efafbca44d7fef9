// A reminder armed by one process is sent after it stopped, by the two replicas that
// replaced it, exactly once: the timer lives in the database, not in memory. The clock stands
// still; passTime lets the ten minutes to the reminder pass once the replicas are up.
import { describe, expect, it } from 'vitest';
import type { Running } from '../../../src/runtime.ts';
import { testClock } from '../../support/clock.ts';
import { useReplicas } from '../../support/harness.ts';
import { postsIn } from '../../support/slack.ts';
import { passTime, SHORT_MS } from '../../support/timers.ts';
import { waitUntil } from '../../support/wait.ts';
import { londonTomorrow, openIncident, postUpdate, reminderRan } from './helpers.ts';

const MIN = 60_000;
const clock = testClock(Date.now());
const replicas = useReplicas({ runtime: { clock, queue: { pollingIntervalSeconds: 0.5 } } });
const { launch } = replicas;

describe('reminders across a restart', () => {
  it('are sent once by the replicas that replaced the process that armed them', async () => {
    const first = await launch();
    clock.set(londonTomorrow(10, 15));
    const incident = await openIncident(
      { database: replicas.database, fakes: replicas.fakes, app: first },
      'restart-1',
      'ai-support-bot',
      'C0RST1',
    );
    await replicas.database.query("UPDATE incident SET lead_slack_id = 'U0PAT' WHERE id = $1", [incident.id]);
    await postUpdate({ database: replicas.database, fakes: replicas.fakes, app: first }, 'C0RST1', {
      text: 'We disabled AI support bot after wrong refunds increased. No data loss confirmed.',
      next: '10:30',
    });
    await waitUntil(
      () => replicas.database.query<{ posts: unknown }>('SELECT posts FROM stakeholder_update'),
      (rows) => rows[0]?.posts !== null && rows.length === 1,
      { what: 'the update to be posted' },
    );
    await first.stop();
    const env = { database: replicas.database, fakes: replicas.fakes, app: first };
    expect(postsIn(env, 'C0RST1', 'Next stakeholder update')).toHaveLength(0);

    const [second] = await Promise.all([launch(), launch()]);
    await passTime(replicas, clock, 10 * MIN - SHORT_MS);
    expect(postsIn(env, 'C0RST1', 'Next stakeholder update')).toHaveLength(0);
    await passTime(replicas, clock, SHORT_MS);
    await reminderRan({ ...env, app: second as Running }, incident.id, londonTomorrow(10, 30), 'remind');
    expect(postsIn(env, 'C0RST1', 'Next stakeholder update').map((m) => m.text)).toEqual([
      ':alarm_clock: Next stakeholder update due at 10:30 — /ai-update',
    ]);
    expect(postsIn(env, 'DU0PAT', 'Next stakeholder update').map((m) => m.text)).toEqual([
      expect.stringContaining('due at 10:30'),
    ]);
  });
});
