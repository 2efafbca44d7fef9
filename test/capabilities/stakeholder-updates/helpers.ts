// Driving /ai-update over signed HTTP against a running app: incidents with channels (set
// directly in the database), the command, the modal's fields and its submission, and a
// clock the test moves so reminders due minutes ahead arrive in seconds.
import { TZDate } from '@date-fns/tz';
import { addDays } from 'date-fns';
import { expect } from 'vitest';
import { jobIdFor } from '../../../src/jobs/job-id.ts';
import type { Running } from '../../../src/runtime.ts';
import type { FakeView } from '../../../src/sandbox/fakes/slack-state.ts';
import type { TestDatabase } from '../../support/database.ts';
import { type Fakes, genericAlert, postAlert } from '../../support/harness.ts';
import { commandReplyOrModal, lastView, submitView } from '../../support/slack.ts';
import { waitUntil } from '../../support/wait.ts';

export interface Env {
  readonly database: TestDatabase;
  readonly fakes: Fakes;
  readonly app: Running;
}

/** hh:mm:ss tomorrow in London: a moment the tests can name the wall-clock time of. */
export function londonTomorrow(hours: number, minutes: number, seconds = 0): Date {
  const today = new TZDate(Date.now(), 'Europe/London');
  const day = addDays(today, 1);
  const at = new TZDate(
    day.getFullYear(),
    day.getMonth(),
    day.getDate(),
    hours,
    minutes,
    seconds,
    'Europe/London',
  );
  return new Date(at.getTime());
}

export interface OpenedIncident {
  id: string;
  number: number;
  opened_at: Date;
}

/** A fresh open incident for `feature` (the previous one resolved), with its own channel if given. */
export async function openIncident(
  env: Env,
  fingerprint: string,
  feature = 'ai-support-bot',
  channel: string | null = null,
): Promise<OpenedIncident> {
  await resolveOpenIncident(env, feature);
  const res = await postAlert(env.app, 'generic', genericAlert(fingerprint, feature));
  expect(res.status).toBe(202);
  const [incident] = await waitUntil(
    () =>
      env.database.query<OpenedIncident>(
        'SELECT id, number, opened_at FROM incident WHERE open_key = $1 AND title LIKE $2',
        [feature, `%(${fingerprint})`],
      ),
    (rows) => rows.length === 1,
    { what: `incident for ${fingerprint}` },
  );
  // Paged and announced first, so a test's changes to who was paged are not overwritten.
  await waitUntil(
    () =>
      env.database.query<{ page_state: string; slack_ts: string | null }>(
        'SELECT page_state, slack_ts FROM incident WHERE id = $1',
        [incident?.id],
      ),
    (rows) => rows[0]?.page_state === 'sent' && rows[0].slack_ts !== null,
    { what: `page and announcement for ${fingerprint}` },
  );
  if (channel)
    await env.database.query('UPDATE incident SET channel_id = $1 WHERE id = $2', [channel, incident?.id]);
  return incident as OpenedIncident;
}

export async function resolveOpenIncident(env: Env, feature: string): Promise<void> {
  await env.database.query(
    "UPDATE incident SET status = 'resolved', open_key = NULL, resolved_at = now() WHERE open_key = $1",
    [feature],
  );
}

/** Types `/ai-update <text>` in `channel`; the ephemeral reply, or null when the modal opened. */
export const updateCommand = (env: Env, text: string, channel: string, user = 'U0JANE') =>
  commandReplyOrModal(env, '/ai-update', text, { user, channel });

/** The modal's prefilled update text and next-update time. */
export function prefilled(view: FakeView): { text: string; next: string } {
  const blocks = view.view.blocks as Array<{ block_id?: string; element?: { initial_value?: string } }>;
  const value = (id: string) => blocks.find((b) => b.block_id === id)?.element?.initial_value ?? '';
  return { text: value('update_text'), next: value('next_update') };
}

export const submitUpdate = (
  env: Env,
  view: FakeView,
  fields: { text: string; next: string },
  user = 'U0JANE',
) =>
  submitView(
    env,
    view,
    { update_text: { update_text_input: fields.text }, next_update: { next_update_input: fields.next } },
    user,
  );

/** Opens the modal in `channel` and submits it with `fields`; Bolt's HTTP answer. */
export async function postUpdate(
  env: Env,
  channel: string,
  fields: { text: string; next: string },
  command = '',
  user = 'U0JANE',
) {
  expect(await updateCommand(env, command, channel, user)).toBeNull();
  const res = await submitUpdate(env, lastView(env), fields, user);
  expect(res.status).toBe(200);
  return res;
}

/** Waits until the reminder job for this promise and stage has run to completion. */
export async function reminderRan(env: Env, incidentId: string, dueAt: Date, stage: 'remind' | 'overdue') {
  const id = jobIdFor('stakeholder-reminder', `${incidentId}:${dueAt.toISOString()}:${stage}`);
  await waitUntil(
    () => env.database.query<{ state: string }>('SELECT state FROM pgboss.job WHERE id = $1', [id]),
    (rows) => rows[0]?.state === 'completed',
    { what: `${stage} job for ${dueAt.toISOString()}` },
  );
}
