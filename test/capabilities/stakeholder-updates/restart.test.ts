// A reminder armed by one process is sent after it stopped, by the two replicas that
// replaced it, exactly once: the timer lives in the database, not in memory.
import { describe, expect, it } from 'vitest';
import type { Running } from '../../../src/runtime.ts';
import { testClock } from '../../support/clock.ts';
import { useReplicas } from '../../support/harness.ts';
import { postsIn } from '../../support/slack.ts';
import { waitUntil } from '../../support/wait.ts';
import { londonTomorrow, openIncident, postUpdate, reminderRan } from './helpers.ts';

const clock = testClock(Date.now(), { ticking: true });
const replicas = useReplicas({ runtime: { clock, queue: { pollingIntervalSeconds: 0.5 } } });
const { launch } = replicas;

describe('reminders across a restart', () => {
  it('are sent once by the replicas that replaced the process that armed them', async () => {
    const first = await launch();
    clock.set(londonTomorrow(10, 24, 50));
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
    const line = ':alarm_clock: Next stakeholder update due at 10:30 — /ai-update';
    await replicas.fakes.slack.waitForMessage((m) => m.channel === 'C0RST1' && m.text === line, 30_000);
    await reminderRan({ ...env, app: second as Running }, incident.id, londonTomorrow(10, 30), 'remind');
    await replicas.fakes.slack.waitForMessage(
      (m) => m.channel === 'DU0PAT' && m.text.includes('due at 10:30'),
      10_000,
    );
    expect(postsIn(env, 'C0RST1', 'Next stakeholder update')).toHaveLength(1);
    expect(postsIn(env, 'DU0PAT', 'Next stakeholder update')).toHaveLength(1);
  });
});
