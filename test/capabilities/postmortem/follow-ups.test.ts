// Closing the loop: the 48 h follow-up (incident channel and lead) and the 72 h one (feature
// owner) are deferred jobs in the database. Armed by one process, they are sent after it
// stopped by the two replicas that replaced it, once; a reviewed postmortem silences them.
// The app's clock stands still an hour before the mark; passTime then lets that hour pass for
// the clock and the stored timers at once, so nothing races the machine's speed.
import { describe, expect, it } from 'vitest';
import { followUpKey, type Stage } from '../../../src/capabilities/postmortem/follow-ups.ts';
import { sweepResolved } from '../../../src/capabilities/postmortem/sweep.ts';
import { jobIdFor } from '../../../src/jobs/job-id.ts';
import type { Running } from '../../../src/runtime.ts';
import { testClock } from '../../support/clock.ts';
import { useReplicas } from '../../support/harness.ts';
import { postsIn } from '../../support/slack.ts';
import { passTime, SHORT_MS } from '../../support/timers.ts';
import { postmortemCommand, sendPostmortemCommand, sharedFiles } from './helpers.ts';
import { configRollback } from './incidents/config-rollback.ts';
import { providerOutage } from './incidents/provider-outage.ts';
import { qualityDrift } from './incidents/quality-drift.ts';
import { copyOf, TEST_CATALOG } from './seed.ts';
import { seedIncident } from './write.ts';

const HOUR = 3_600_000;

const clock = testClock(Date.now());
const replicas = useReplicas({
  extra: { FAILSAFE_CONFIG: TEST_CATALOG },
  runtime: { clock, queue: { pollingIntervalSeconds: 0.5 } },
});
const { launch } = replicas;

const envOf = (app: Running) => ({ database: replicas.database, fakes: replicas.fakes, app });
const posts = (channel: string, includes: string) => postsIn(replicas, channel, includes);

/** The follow-up's job state (once the queue is idle, it has run or is still ahead). */
async function followUpState(
  incidentId: string,
  stage: Stage,
  resolvedAt: Date,
): Promise<string | undefined> {
  const id = jobIdFor('postmortem-follow-up', followUpKey(incidentId, stage, resolvedAt));
  const rows = await replicas.database.query<{ state: string }>(
    'SELECT state FROM pgboss.job WHERE id = $1',
    [id],
  );
  return rows[0]?.state;
}

describe('postmortem follow-ups', () => {
  it('at 48 h reach the channel and the lead, sent once by the replicas that replaced the process that armed them', async () => {
    const resolvedAt = configRollback.resolvedAt as Date;
    const id = await seedIncident(replicas.database, configRollback);
    const first = await launch();
    clock.set(new Date(resolvedAt.getTime() + 48 * HOUR - HOUR));
    await postmortemCommand(envOf(first), '', 'C0INC103');
    await sharedFiles(envOf(first), 'C0INC103', 1);
    await first.stop();
    expect(posts('C0INC103', ':hourglass:')).toHaveLength(0);

    await Promise.all([launch(), launch()]);
    // Short of 48 h: nothing yet.
    await passTime(replicas, clock, HOUR - SHORT_MS);
    expect(await followUpState(id, '48h', resolvedAt)).toBe('created');
    expect(posts('C0INC103', ':hourglass:')).toHaveLength(0);
    await passTime(replicas, clock, SHORT_MS);
    const [channelLine] = posts('C0INC103', ':hourglass:');
    expect(channelLine?.text).toMatch(
      /^:hourglass: Incident #103 \(AI reply drafts\) was resolved 48 hours ago and its postmortem is not marked reviewed\. Draft v1: <http:\/\/localhost:[1-9]\d*\/postmortems\/[0-9a-f-]{36}\.md\?v=1&i=\d+&token=[\w-]{43}\|download>\. Review it together, then `\/ai-postmortem reviewed`\.$/,
    );
    expect(await followUpState(id, '48h', resolvedAt)).toBe('completed');
    const dm = posts('DU0PAT', 'is due for review');
    expect(dm.map((m) => m.text)).toEqual([
      expect.stringMatching(
        /^:hourglass: The postmortem of incident #103 \(AI reply drafts\) in <#C0INC103> is due for review: it resolved 48 hours ago\. Draft v1: </,
      ),
    ]);
    expect(posts('C0INC103', ':hourglass:')).toHaveLength(1);
    const recorded = await replicas.database.query(
      'SELECT 1 FROM timeline_entry WHERE incident_id = $1 AND kind = $2',
      [id, 'postmortem.reminder'],
    );
    expect(recorded).toHaveLength(1);
  });

  it('at 72 h reach the feature owner', async () => {
    const seed = copyOf(providerOutage, 121, 'C0INC121');
    const resolvedAt = seed.resolvedAt as Date;
    const id = await seedIncident(replicas.database, seed);
    const app = replicas.apps.at(-1) as Running;
    clock.set(new Date(resolvedAt.getTime() + 72 * HOUR - HOUR));
    await postmortemCommand(envOf(app), '121', 'C0ALERTS', 'U0SAM');
    await passTime(replicas, clock, HOUR);
    expect(await followUpState(id, '72h', resolvedAt)).toBe('completed');
    expect(posts('DU0JANE', 'Incident #121').map((m) => m.text)).toEqual([
      expect.stringMatching(
        /^:hourglass: Incident #121 of \*AI support bot\*, which you own, resolved 72 hours ago and its postmortem is still not reviewed in <#C0INC121>\. Draft v1: <.+\|download>\. `\/ai-postmortem reviewed 121` once it is\.$/,
      ),
    ]);
    // The 48 h mark had passed when it was armed: that follow-up went out at once, to the lead.
    expect(posts('C0INC121', ':hourglass: Incident #121')).toHaveLength(1);
    expect(posts('DU0SAM', 'incident #121')).toHaveLength(1);
  });

  it('stay silent once the postmortem is reviewed', async () => {
    const resolvedAt = qualityDrift.resolvedAt as Date;
    const id = await seedIncident(replicas.database, qualityDrift);
    const app = replicas.apps.at(-1) as Running;
    clock.set(new Date(resolvedAt.getTime() + 48 * HOUR - HOUR));
    await sendPostmortemCommand(envOf(app), 'reviewed 102', 'C0INC102', 'U0ANA');
    await replicas.fakes.slack.waitForMessage(
      (m) => m.channel === 'C0INC102' && m.text.includes('is marked reviewed'),
    );
    await postmortemCommand(envOf(app), '102', 'C0INC102', 'U0ANA');
    await passTime(replicas, clock, HOUR);
    expect(await followUpState(id, '48h', resolvedAt)).toBe('completed');
    expect(posts('C0INC102', ':hourglass:')).toEqual([]);
    expect(posts('DU0ANA', 'incident #102')).toEqual([]);
  });

  it('are stored by the sweep for incidents nobody drafted yet, which Slack traffic keeps armed', async () => {
    const app = replicas.apps.at(-1) as Running;
    const seed = copyOf(configRollback, 131, 'C0INC131');
    const id = await seedIncident(replicas.database, seed);
    const resolvedAt = seed.resolvedAt as Date;
    clock.set(new Date(resolvedAt.getTime() + HOUR));
    const { channelId: _none, ...withoutChannel } = copyOf(configRollback, 132, 'C0INC132');
    const quiet = await seedIncident(replicas.database, { ...withoutChannel, entries: [] });
    // #103 (first test, resolved at the same moment) and #131; not #132: no channel, no draft.
    expect(await sweepResolved(app.deps)).toBe(2);
    const jobs = await replicas.database.query<{ id: string }>('SELECT id FROM pgboss.job WHERE name = $1', [
      'postmortem-follow-up',
    ]);
    const ids = new Set(jobs.map((j) => j.id));
    for (const stage of ['48h', '72h'] as const) {
      expect(ids.has(jobIdFor('postmortem-follow-up', followUpKey(id, stage, resolvedAt)))).toBe(true);
      expect(ids.has(jobIdFor('postmortem-follow-up', followUpKey(quiet, stage, resolvedAt)))).toBe(false);
    }
    await postmortemCommand(envOf(app), 'help', 'C0ALERTS');
    const sweeps = await replicas.database.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1',
      ['postmortem-sweep'],
    );
    expect(sweeps[0]?.n).toBeGreaterThan(0);
  });
});
