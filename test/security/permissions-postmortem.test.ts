// The reproduction of issue 12: a user who is not the owner, an admin, on call or in the
// incident ran `/ai-postmortem 1` in an unrelated channel and got the draft uploaded there
// with a working link, and marked another incident reviewed. Now: refused, privately, naming
// who may; shared only in the incident's or the feature's channel; reviewed by lead or owner.
import { beforeAll, describe, expect, it } from 'vitest';
import { filesOf } from '../../src/sandbox/fakes/slack-files.ts';
import { postmortemCommand, sendPostmortemCommand, sharedFiles } from '../capabilities/postmortem/helpers.ts';
import { configRollback } from '../capabilities/postmortem/incidents/config-rollback.ts';
import { providerOutage } from '../capabilities/postmortem/incidents/provider-outage.ts';
import { copyOf, TEST_CATALOG } from '../capabilities/postmortem/seed.ts';
import { seedIncident } from '../capabilities/postmortem/write.ts';
import { useRunningApp } from '../support/harness.ts';
import { waitUntil } from '../support/wait.ts';

const env = useRunningApp({ extra: { FAILSAFE_CONFIG: TEST_CATALOG } });
// Incident 111: ai-support-bot (owner Jane), led by Sam. 103: ai-reply-drafts, Pat owns and leads.
let outageId: string;
beforeAll(async () => {
  outageId = await seedIncident(env.database, copyOf(providerOutage, 111, 'C0INC111'));
  await seedIncident(env.database, configRollback);
});

const versions = async (incidentId: string) =>
  env.database.query(
    'SELECT v.version FROM postmortem_version v JOIN postmortem p ON p.id = v.postmortem_id WHERE p.incident_id = $1',
    [incidentId],
  );
const reviewedAt = async (number: number) =>
  (
    await env.database.query<{ reviewed_at: Date | null }>(
      'SELECT p.reviewed_at FROM incident i LEFT JOIN postmortem p ON p.incident_id = i.id WHERE i.number = $1',
      [number],
    )
  )[0]?.reviewed_at ?? null;

describe('/ai-postmortem is for the people of the incident', () => {
  it('refuses an outsider in an unrelated channel: no draft, no upload, no link', async () => {
    const reply = await postmortemCommand(env, '111', 'C0RANDOM', 'U0ANA');
    expect(reply).toBe(
      'You may not read or share the postmortem of `ai-support-bot`. Ask the incident lead <@U0SAM>, the owner <@U0JANE>, anyone in <#C0INC111>, whoever is on call for it. Nothing was changed.',
    );
    expect(reply).not.toContain('/postmortems/');
    expect(await versions(outageId)).toEqual([]);
    expect(filesOf(env.fakes.slack.state)).toEqual([]);
  });

  it('shares the lead’s draft in the incident channel, never the unrelated one it was typed in', async () => {
    const reply = await postmortemCommand(env, '111', 'C0RANDOM', 'U0SAM');
    expect(reply).toContain('is being shared in <#C0INC111>');
    expect(await sharedFiles(env, 'C0INC111', 1)).toHaveLength(1);
    expect(filesOf(env.fakes.slack.state).filter((f) => f.channel === 'C0RANDOM')).toEqual([]);
  });

  it('lets only the lead or the owner mark it reviewed', async () => {
    for (const [user, channel] of [
      ['U0ANA', 'C0RANDOM'],
      ['U0SAM', 'C0INC103'],
    ] as const) {
      const reply = await postmortemCommand(env, 'reviewed 103', channel, user);
      expect(reply).toBe(
        'You may not mark reviewed the postmortem of `ai-reply-drafts`. Ask the incident lead <@U0PAT>. Nothing was changed.',
      );
    }
    expect(await reviewedAt(103)).toBeNull();
    await sendPostmortemCommand(env, 'reviewed 103', 'C0INC103', 'U0PAT');
    await waitUntil(
      () => reviewedAt(103),
      (at) => at !== null,
      { what: 'the lead to mark it reviewed' },
    );
  });
});
