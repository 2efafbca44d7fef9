// Every job Failsafe runs, by name, with the payload it carries (graphile-worker's Tasks map
// is the model). enqueue('page', key, { incidentId }) is checked against this at compile
// time and parsed against it at run time; a stored payload that no longer parses (a job
// written by an older release) goes to the dead-letter table, never silently away.
import { z } from 'zod';

const IncidentRef = z.object({ incidentId: z.uuid() });
const OperationRef = z.object({ operationId: z.uuid() });
const Slot = z.object({ slot: z.iso.datetime() });

export const JobMap = {
  // paging
  page: IncidentRef,
  'page-notice': IncidentRef.extend({ problem: z.enum(['unreachable', 'rejected']) }),
  'page-dm': IncidentRef,
  'slack-post': IncidentRef,
  'slack-refresh': IncidentRef,
  // The signed event.id (the delivery's key since X-Webhook-Id is unsigned).
  'pd-webhook': z.object({ eventId: z.string().min(1) }),
  'ack-timeout': z.object({
    incidentId: z.uuid(),
    level: z.number().int(),
    assigneePdId: z.string().nullable(),
  }),
  // incident channels
  'incident-channel': IncidentRef,
  'channel-backfill': IncidentRef,
  // The pinned summary re-rendered and edited, once per incident per 2 s window.
  'incident-summary-refresh': IncidentRef,
  // An Events API delivery stored in slack_event before Slack got its 200.
  'slack-event': z.object({ eventId: z.string().min(1) }),
  // kill switch
  'flag-kill': OperationRef,
  'flag-verify': OperationRef,
  'kill-page-owner': OperationRef,
  'ramp-step': z.object({ operationId: z.uuid(), index: z.number().int().min(0) }),
  'flag-drill': OperationRef,
  // stakeholder updates
  'stakeholder-update-post': z.object({ updateId: z.uuid(), by: z.string() }),
  'stakeholder-reminder': z.object({
    incidentId: z.uuid().nullable(),
    featureKey: z.string(),
    dueAt: z.iso.datetime(),
    stage: z.enum(['remind', 'overdue']),
  }),
  // postmortems
  'postmortem-share': z.object({
    postmortemId: z.uuid(),
    version: z.number().int().positive(),
    comment: z.string().max(4_000),
  }),
  'postmortem-follow-up': z.object({
    incidentId: z.uuid(),
    stage: z.enum(['48h', '72h']),
    resolvedAt: z.iso.datetime(),
  }),
  'postmortem-sweep': Slot,
  // error budgets
  'budget-evaluate': Slot,
  'budget-report': Slot,
  // A budget's channel line, with its text as judged when the evaluation ran (the numbers move).
  'budget-notice': z.object({
    channel: z.string().min(1),
    threadTs: z.string().min(1).optional(),
    text: z.string().min(1).max(40_000),
  }),
  // quality watches: one evaluation per slot; a notice line with its text as judged then.
  'watch-evaluate': Slot,
  'watch-notice': z.object({ channel: z.string().min(1), text: z.string().min(1).max(40_000) }),
} as const satisfies Record<string, z.ZodType>;

export type JobMap = typeof JobMap;
export type JobName = keyof JobMap;
export type JobData<N extends JobName> = z.infer<JobMap[N]>;
export const JOB_NAMES = Object.keys(JobMap) as JobName[];
