// Reminders for the promised next update. Each is a deferred job keyed by the incident and
// the promised time, so it survives restarts and two replicas send it once. When it fires
// it checks the promise still stands: a newer update (another time), a resolved incident or
// a deleted one silences it. Delays are computed from deps.clock, stage by stage.
import type { Feature } from '../../config/catalog.ts';
import type { Incident } from '../../generated/prisma/client.ts';
import type { JobData } from '../../jobs/map.ts';
import type { JobDefinition } from '../../jobs/types.ts';
import { postOnce } from '../../kernel/slack-post.ts';
import { escapeMrkdwn } from '../../kernel/slack-text.ts';
import { recordEntry } from '../../kernel/timeline.ts';
import { findIncident } from '../../store/incidents.ts';
import { latestFeatureUpdate } from '../../store/updates.ts';
import type { UpdateDeps } from './deps.ts';
import { clock } from './next-update.ts';

/** The lead hears this long before the update is due… */
export const REMIND_BEFORE_MS = 5 * 60_000;
/** …and once more, this long after it, when no newer update was posted. */
export const OVERDUE_AFTER_MS = 5 * 60_000;

type ReminderJob = JobData<'stakeholder-reminder'>;
type Stage = ReminderJob['stage'];

export interface PromiseTarget {
  /** Null for an update posted while the feature had no open incident. */
  incidentId: string | null;
  featureKey: string;
  dueAt: Date;
}

export function reminderJobs(deps: UpdateDeps): JobDefinition[] {
  return [
    {
      name: 'stakeholder-reminder',
      maxAttempts: 10,
      backoff: { baseDelayMs: 1_000, maxDelayMs: 30_000 },
      handler: (job) => runReminder(deps, job),
    },
  ];
}

/** Arms the first stage still ahead: the reminder, or (when that time has passed) the overdue check. */
export async function scheduleReminders(deps: UpdateDeps, target: PromiseTarget): Promise<void> {
  const now = deps.clock.now().getTime();
  const due = target.dueAt.getTime();
  if (due - REMIND_BEFORE_MS > now) {
    await enqueueStage(deps, target, 'remind', due - REMIND_BEFORE_MS - now);
  } else {
    await enqueueStage(deps, target, 'overdue', Math.max(0, due + OVERDUE_AFTER_MS - now));
  }
}

async function enqueueStage(deps: UpdateDeps, target: PromiseTarget, stage: Stage, delayMs: number) {
  const dueAt = target.dueAt.toISOString();
  const data: ReminderJob = { incidentId: target.incidentId, featureKey: target.featureKey, dueAt, stage };
  await deps.queue.enqueue('stakeholder-reminder', `${keyOf(target)}:${dueAt}:${stage}`, data, { delayMs });
}

const keyOf = (t: { incidentId: string | null; featureKey: string }) =>
  t.incidentId ?? `feature:${t.featureKey}`;

export async function runReminder(deps: UpdateDeps, job: ReminderJob): Promise<void> {
  const target = { incidentId: job.incidentId, featureKey: job.featureKey, dueAt: new Date(job.dueAt) };
  const promised = await currentPromise(deps, job);
  if (promised?.dueAt?.getTime() !== target.dueAt.getTime()) return;
  const now = deps.clock.now().getTime();
  const due = target.dueAt.getTime();
  if (job.stage === 'overdue') return notify(deps, promised, target, 'overdue');
  // Once the time has come a reminder is noise; the overdue notice follows instead.
  if (now < due) await notify(deps, promised, target, 'remind');
  await enqueueStage(deps, target, 'overdue', Math.max(0, due + OVERDUE_AFTER_MS - now));
}

interface Promised {
  feature: Feature;
  incident: Incident | null;
  dueAt: Date | null;
  /** Who posted the promise (a Slack user id), for updates without an incident. */
  poster: string | null;
}

/** The promise that stands now: the open incident's, or the feature's latest without one. */
async function currentPromise(deps: UpdateDeps, job: ReminderJob): Promise<Promised | null> {
  const feature = deps.catalog.featureByKey(job.featureKey);
  if (!feature) return null;
  if (job.incidentId) {
    const incident = await findIncident(deps.db, job.incidentId);
    if (!incident || incident.status === 'resolved') return null;
    return { feature, incident, dueAt: incident.nextUpdateAt, poster: null };
  }
  const latest = await latestFeatureUpdate(deps.db, feature.key);
  return latest ? { feature, incident: null, dueAt: latest.nextUpdateAt, poster: latest.postedBy } : null;
}

async function notify(deps: UpdateDeps, promised: Promised, target: PromiseTarget, stage: Stage) {
  const { feature, incident } = promised;
  const at = clock(target.dueAt, feature.slack.timeZone);
  const late = Math.max(
    Math.round(OVERDUE_AFTER_MS / 60_000),
    Math.round((deps.clock.now().getTime() - target.dueAt.getTime()) / 60_000),
  );
  const own = incident?.channelId ?? null;
  const channel = own ?? feature.slack.alertsChannel;
  const which = `*${escapeMrkdwn(feature.name)}*${incident ? ` (incident #${incident.number})` : ''}`;
  const what = (forWhom: string) =>
    stage === 'remind'
      ? `:alarm_clock: Next stakeholder update${forWhom} due at ${at}`
      : `:warning: Stakeholder update${forWhom} overdue by ${late} min (promised for ${at})`;
  // Outside the incident channel, /ai-update needs the feature named.
  const command = `/ai-update ${feature.key}`;
  const inChannel = own ? `${what('')} — /ai-update` : `${what(` for ${which}`)} — ${command}`;
  const inDm = `${what(` for ${which}`)} — ${own ? `/ai-update in <#${own}>` : command}`;
  const key = `stakeholder-${stage}:${keyOf(target)}:${target.dueAt.toISOString()}`;
  await postOnce(deps, `${key}:channel`, { channel }, () => ({ text: inChannel }));
  const lead = await leadOf(deps, promised);
  const dm = await deps.slack.openDm(lead);
  await postOnce(deps, `${key}:dm`, { channel: dm }, () => ({ text: inDm }));
  if (!incident) return;
  await recordEntry(deps.db, {
    incidentId: incident.id,
    at: deps.clock.now(),
    kind: stage === 'remind' ? 'update.reminder' : 'update.overdue',
    actor: 'Failsafe',
    text: inChannel.replace(/^:[a-z_]+: /, ''),
    data: { dueAt: target.dueAt.toISOString(), lead },
    dedupKey: key,
  });
}

/**
 * Who must write the update: the incident lead; else the paged person (by their Slack id, or
 * the Slack user with their email); else, without an incident, whoever promised it; else the owner.
 */
async function leadOf(deps: UpdateDeps, { incident, feature, poster }: Promised): Promise<string> {
  if (incident?.leadSlackId) return incident.leadSlackId;
  if (incident?.assigneeSlackId) return incident.assigneeSlackId;
  if (incident?.assigneeEmail) {
    const user = await deps.slack.lookupUserByEmail(incident.assigneeEmail);
    if (user) return user.id;
  }
  return poster ?? feature.owner.slack;
}
