// Reminders of the promised next update, against the running app. The app's clock stands
// still ten minutes before each promised time; passTime lets minutes pass for the clock and
// the stored reminder jobs at once, so a reminder five minutes before 10:30 (and an overdue
// notice five minutes after) arrives without waiting for it, however loaded the machine.
import { describe, expect, it } from 'vitest';
import { testClock } from '../../support/clock.ts';
import { useRunningApp } from '../../support/harness.ts';
import { postsIn } from '../../support/slack.ts';
import { passTime, SHORT_MS } from '../../support/timers.ts';
import { waitUntil } from '../../support/wait.ts';
import {
  type Env,
  londonTomorrow,
  openIncident,
  postUpdate,
  reminderRan,
  resolveOpenIncident,
} from './helpers.ts';

const MIN = 60_000;
const clock = testClock(Date.now());
const env = useRunningApp({ runtime: { clock, queue: { pollingIntervalSeconds: 0.5 } } });
const TEXT = 'We disabled AI support bot after wrong refunds increased. No data loss confirmed.';

/**
 * The submission is answered before its post job is stored, so an idle queue right after it
 * proves nothing: wait for the posts, whose job then still holds its lease until the
 * reminders are armed (passTime's idle wait covers that).
 */
async function posted(e: Env, incidentId: string, count = 1) {
  await waitUntil(
    () =>
      e.database.query<{ posts: unknown }>('SELECT posts FROM stakeholder_update WHERE incident_id = $1', [
        incidentId,
      ]),
    (rows) => rows.length === count && rows.every((r) => r.posts !== null),
    { what: 'the updates to be posted' },
  );
}

const texts = (channel: string, includes: string) => postsIn(env, channel, includes).map((m) => m.text);

describe('reminders of the next stakeholder update', () => {
  it('five minutes before, reminds the incident channel and DMs the incident lead', async () => {
    clock.set(londonTomorrow(10, 15));
    const incident = await openIncident(env, 'rem-1', 'ai-support-bot', 'C0REM1');
    await env.database.query("UPDATE incident SET lead_slack_id = 'U0PAT' WHERE id = $1", [incident.id]);
    await postUpdate(env, 'C0REM1', { text: TEXT, next: '10:30' });
    await posted(env, incident.id);
    await passTime(env, clock, 10 * MIN - SHORT_MS);
    expect(texts('C0REM1', 'Next stakeholder update')).toEqual([]);
    await passTime(env, clock, SHORT_MS);
    expect(texts('C0REM1', 'Next stakeholder update')).toEqual([
      ':alarm_clock: Next stakeholder update due at 10:30 — /ai-update',
    ]);
    expect(texts('DU0PAT', 'Next stakeholder update')).toEqual([
      `:alarm_clock: Next stakeholder update for *AI support bot* (incident #${incident.number}) due at 10:30 — /ai-update in <#C0REM1>`,
    ]);
    const timeline = await env.database.query<{ kind: string; actor: string }>(
      "SELECT kind, actor FROM timeline_entry WHERE incident_id = $1 AND kind LIKE 'update.%' ORDER BY at",
      [incident.id],
    );
    expect(timeline).toEqual([
      { kind: 'update.posted', actor: 'Jane Doe' },
      { kind: 'update.reminder', actor: 'Failsafe' },
    ]);
  });

  it('says once that the update is overdue, DMing the paged person found by email', async () => {
    clock.set(londonTomorrow(11, 15));
    const incident = await openIncident(env, 'rem-2', 'ai-support-bot', 'C0REM2');
    // Paged someone whose Slack id Failsafe has not looked up yet.
    await env.database.query(
      "UPDATE incident SET assignee_email = 'sam@example.com', assignee_slack_id = NULL WHERE id = $1",
      [incident.id],
    );
    await postUpdate(env, 'C0REM2', { text: TEXT, next: '11:30' });
    await posted(env, incident.id);
    // Nothing ran until 11:35 (the app slept through 11:25): the reminder, now pointless, is
    // skipped for the overdue notice.
    await passTime(env, clock, 20 * MIN, { asleep: true });
    expect(texts('C0REM2', 'overdue')).toEqual([
      ':warning: Stakeholder update overdue by 5 min (promised for 11:30) — /ai-update',
    ]);
    expect(texts('DU0SAM', 'overdue')).toEqual([expect.stringContaining('for *AI support bot*')]);
    await reminderRan(env, incident.id, londonTomorrow(11, 30), 'overdue');
    expect(postsIn(env, 'C0REM2', 'Next stakeholder update')).toHaveLength(0);
  });

  it('a newer update silences the reminders of the one before', async () => {
    clock.set(londonTomorrow(12, 15));
    const incident = await openIncident(env, 'rem-3', 'ai-support-bot', 'C0REM3');
    await postUpdate(env, 'C0REM3', { text: TEXT, next: '12:30' });
    await postUpdate(env, 'C0REM3', {
      text: 'We are still working on the bot. No data loss confirmed.',
      next: '13:00',
    });
    await posted(env, incident.id, 2);
    await passTime(env, clock, 10 * MIN);
    const [row] = await env.database.query<{ next_update_at: Date }>(
      'SELECT next_update_at FROM incident WHERE id = $1',
      [incident.id],
    );
    expect(row?.next_update_at).toEqual(londonTomorrow(13, 0));
    await reminderRan(env, incident.id, londonTomorrow(12, 30), 'remind');
    expect(postsIn(env, 'C0REM3', 'Next stakeholder update')).toHaveLength(0);
  });

  it('stop when the incident is resolved', async () => {
    clock.set(londonTomorrow(13, 15));
    const incident = await openIncident(env, 'rem-4', 'ai-search-summaries', 'C0REM4');
    await postUpdate(env, 'C0REM4', { text: TEXT, next: '13:30' }, '', 'U0ANA'); // its owner
    await posted(env, incident.id);
    await resolveOpenIncident(env, 'ai-search-summaries');
    await passTime(env, clock, 10 * MIN);
    await reminderRan(env, incident.id, londonTomorrow(13, 30), 'remind');
    expect(postsIn(env, 'C0REM4', 'Next stakeholder update')).toHaveLength(0);
  });

  it("without an incident channel, remind in the feature's alerts channel and DM the owner", async () => {
    clock.set(londonTomorrow(14, 15));
    const incident = await openIncident(env, 'rem-5', 'ai-support-bot');
    // Nobody known to have been paged: the feature's owner is reminded. (Nor escalated to: the
    // ack timer at 14:20 finds no assignee of its page, so nobody becomes the one to DM.)
    await env.database.query(
      'UPDATE incident SET assignee_email = NULL, assignee_slack_id = NULL, assignee_pd_id = NULL WHERE id = $1',
      [incident.id],
    );
    await postUpdate(env, 'DU0JANE', { text: TEXT, next: '14:30' }, 'ai-support-bot');
    await posted(env, incident.id);
    const line = `:alarm_clock: Next stakeholder update for *AI support bot* (incident #${incident.number}) due at 14:30 — /ai-update ai-support-bot`;
    await passTime(env, clock, 10 * MIN);
    expect(texts('C0ALERTS', 'due at 14:30')).toEqual([line]);
    expect(texts('DU0JANE', 'due at 14:30')).toEqual([line]);
  });
});
