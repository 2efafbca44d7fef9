// The shape of failsafe.yml as people write it (snake_case). Every leaf says what it expects
// in words an operator can act on, because these messages are all they see at start-up.
import { z } from 'zod';

/** How an offending value is quoted back: short, and never the value of a secret field. */
function describeInput(input: unknown): string {
  if (input === undefined) return 'nothing';
  if (input === null) return 'an empty value';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a mapping';
  const text = JSON.stringify(input);
  return text.length > 60 ? `${text.slice(0, 57)}…"` : text;
}

const expecting = (what: string, secret = false) => ({
  error: (issue: { input?: unknown }) =>
    issue.input === undefined
      ? `required, expected ${what}`
      : `expected ${what}${secret ? '' : `, got ${describeInput(issue.input)}`}`,
});

const matching = (pattern: RegExp, what: string, secret = false) =>
  z.string(expecting(what, secret)).regex(pattern, expecting(what, secret));

export const slackChannelId = matching(/^[CG][A-Z0-9]{2,}$/, 'a Slack channel id like C0123ABCD');
export const slackUserId = matching(/^[UW][A-Z0-9]{2,}$/, 'a Slack user id like U0123ABCD');
const slackUserGroupId = matching(/^S[A-Z0-9]{2,}$/, 'a Slack user group id like S0123ABCD');
const slackUserOrGroupId = matching(
  /^[UWS][A-Z0-9]{2,}$/,
  'a Slack user id like U0123ABCD or user group id like S0123ABCD',
);
const pagerdutyId = (what: string) => matching(/^P[A-Z0-9]+$/, `a PagerDuty ${what} id like PABC123`);
// Anyone holding a routing key can page people, so it is never echoed back.
const routingKey = matching(/^[A-Za-z0-9_-]{4,64}$/, 'a PagerDuty Events API v2 integration key', true);
const slug = matching(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'a lowercase slug of a-z, 0-9 and - like ai-support-bot');
const labelName = matching(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an alert label name like ai_feature');
const text = (what: string) => z.string(expecting(what)).trim().min(1, expecting(what));
const flag = z.boolean(expecting('true or false'));
const urgency = z.enum(['high', 'low'], expecting('high or low'));

function canonicalTimeZone(zone: string): string | undefined {
  // Offsets like +01:00 are accepted by Intl but follow no daylight-saving rules; ask for a zone name.
  if (/^[+-]\d/.test(zone)) return undefined;
  try {
    return new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

const timeZone = z.string(expecting('an IANA time zone like Europe/London')).transform((zone, ctx) => {
  const canonical = canonicalTimeZone(zone);
  if (canonical) return canonical;
  ctx.addIssue({
    code: 'custom',
    input: zone,
    message: `expected an IANA time zone like Europe/London, got ${describeInput(zone)}`,
  });
  return z.NEVER;
});

// Strict, so a misspelt field (alert_channel) is reported instead of silently ignored.
const mapping = <T extends z.core.$ZodLooseShape>(shape: T) => {
  const fields = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys') return `unknown field, expected one of ${fields}`;
      return issue.input === undefined
        ? `required, expected a mapping of ${fields}`
        : `expected a mapping of ${fields}, got ${describeInput(issue.input)}`;
    },
  });
};
const list = <T extends z.ZodType>(item: T, what: string) => z.array(item, expecting(`a list of ${what}`));
const nonEmptyList = <T extends z.ZodType>(item: T, what: string, atLeastOne: string) =>
  list(item, what).min(1, { error: `expected at least one ${atLeastOne}` });

/** "90s", "5m", "1h": a duration, as seconds. */
const duration = matching(/^[1-9]\d*(s|m|h)$/, 'a duration of at least 1s, like 90s, 5m or 1h').transform(
  (v) => Number.parseInt(v, 10) * ({ s: 1, m: 60, h: 3600 } as const)[v.slice(-1) as 's' | 'm' | 'h'],
);

/** "5m", "6h", "30d": a burn-rate window or an SLO period, as seconds. */
const window = matching(
  /^[1-9]\d*(m|h|d)$/,
  'a duration in minutes, hours or days, like 5m, 6h or 30d',
).transform(
  (v) => Number.parseInt(v, 10) * ({ m: 60, h: 3600, d: 86400 } as const)[v.slice(-1) as 'm' | 'h' | 'd'],
);
const count = z
  .number(expecting('a whole number'))
  .int(expecting('a whole number'))
  .min(0, expecting('a whole number'));

// "98%" (or 98): the share of events that must be good. A bare 0.98 is refused rather than
// read as 0.98%, which would be a budget so large it never burns.
const sloTarget = z
  .union([z.number(), z.string()], expecting('a percentage like 98% or 99.9%'))
  .transform((v, ctx) => {
    const n =
      typeof v === 'number' ? v : /^\s*\d+(\.\d+)?\s*%\s*$/.test(v) ? Number.parseFloat(v) : Number.NaN;
    if (n > 1 && n < 100) return n / 100;
    ctx.addIssue({
      code: 'custom',
      input: v,
      message: `expected a percentage above 1% and below 100%, like 98% or 99.9%, got ${describeInput(v)}`,
    });
    return z.NEVER;
  });

/** One multiwindow burn-rate rule (Google SRE workbook, ch. 5): both windows over the rate. */
const BurnAlertSchema = mapping({
  long: window,
  short: window,
  burn_rate: z
    .number(expecting('a burn rate like 14.4'))
    .positive(expecting('a burn rate above 0, like 14.4')),
  notify: z.enum(['page', 'ticket'], expecting('page or ticket')).default('page'),
}).refine((a) => a.short < a.long, { error: 'expected the short window to be shorter than the long one' });
const burnAlerts = nonEmptyList(BurnAlertSchema, 'burn-rate alerts', 'burn-rate alert');

const ErrorBudgetDefaultsSchema = mapping({
  // How often every feature's burn rates are evaluated (once across all replicas).
  evaluate_every: duration.prefault('30s'),
  // Low-traffic guard: no alert while the short window holds fewer events than this.
  min_events: count.default(100),
  // The workbook's recommendation for a 30-day SLO: 2% of the budget in 1 h, 5% in 6 h page;
  // 10% in 3 days is a ticket.
  burn_alerts: burnAlerts.prefault([
    { long: '1h', short: '5m', burn_rate: 14.4, notify: 'page' },
    { long: '6h', short: '30m', burn_rate: 6, notify: 'page' },
    { long: '3d', short: '6h', burn_rate: 1, notify: 'ticket' },
  ]),
  weekly_report: mapping({
    channel: slackChannelId,
    day: z
      .enum(
        ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'],
        expecting('a day of the week like monday'),
      )
      .default('monday'),
    time: matching(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day like 09:00').default('09:00'),
  }).optional(),
});

const SloSchema = mapping({
  target: sloTarget,
  period: window.prefault('30d'),
  // Which signal kinds count against the budget; all kinds when omitted.
  kinds: nonEmptyList(
    matching(/^[a-z][a-z0-9_]{0,39}$/, 'a signal kind of a-z, 0-9 and _ like eval or thumbs_down'),
    'signal kinds',
    'signal kind',
  ).optional(),
  // What happens when the whole budget is spent: page the owner, freeze /ai-kill restore,
  // or turn the feature off (and freeze).
  on_exhausted: z.enum(['page', 'freeze', 'kill'], expecting('page, freeze or kill')).default('page'),
  min_events: count.optional(),
  burn_alerts: burnAlerts.optional(),
});

// Quality watches (bands and drift on measurements). Durations in m/h/d like the windows.
const metricName = matching(/^[a-z][a-z0-9_]{0,39}$/, 'a metric name of a-z, 0-9 and _ like handoff_rate');
const watchNumber = (what: string) => z.number(expecting(what)).refine(Number.isFinite, expecting(what));

const WatchDefaultsSchema = mapping({
  // How often every watch is evaluated (once across all replicas); minutes are the data's grain.
  evaluate_every: duration.prefault('1m'),
  baseline: window.prefault('7d'),
  k: watchNumber('a positive number like 4')
    .refine((k) => k > 0, expecting('a positive number like 4'))
    .default(4),
  threshold: watchNumber('a PSI threshold like 0.2')
    .refine((t) => t > 0, expecting('a PSI threshold above 0, like 0.2'))
    .default(0.2),
});

const FixedBandSchema = mapping({
  min: watchNumber('a number, the lowest normal value').optional(),
  max: watchNumber('a number, the highest normal value').optional(),
})
  .refine((b) => b.min !== undefined || b.max !== undefined, { error: 'expected min, max or both' })
  .refine((b) => b.min === undefined || b.max === undefined || b.min < b.max, {
    error: 'expected min to be below max',
  });

const WatchSchema = mapping({
  // "learned" (median ± k·MAD over the same hour of the week) or a fixed { min, max }.
  band: z
    .union([z.literal('learned'), FixedBandSchema], expecting('learned or a mapping of min and max'))
    .optional(),
  drift: z.literal('psi', expecting('psi (population stability index over the buckets)')).optional(),
  threshold: watchNumber('a PSI threshold like 0.2')
    .refine((t) => t > 0, expecting('a PSI threshold above 0, like 0.2'))
    .optional(),
  k: watchNumber('a positive number like 4')
    .refine((k) => k > 0, expecting('a positive number like 4'))
    .optional(),
  direction: z.enum(['up', 'down', 'both'], expecting('up, down or both')).optional(),
  window: window.optional(),
  baseline: window
    .refine((b) => b >= 86_400 && b <= 28 * 86_400, expecting('a baseline of 1d to 28d, like 7d'))
    .optional(),
  for: window.prefault('10m'),
  notify: z.enum(['page', 'notice'], expecting('page or notice')).default('page'),
  // How messages name the metric ("hand-off rate"); the metric's name with spaces by default.
  label: text('a short name for the metric, like hand-off rate').optional(),
  // "ratio": values from 0 to 1 shown as percentages; any other text is shown after the number.
  unit: text('ratio, or a unit shown after the number like turns').optional(),
});

const watchBlock = z.record(metricName, WatchSchema, expecting('a mapping of metric names to watches'));

const DefaultsSchema = mapping({
  time_zone: timeZone.default('UTC'),
  feature_label: labelName.default('ai_feature'),
  admin_group: slackUserGroupId.optional(),
  auto_resolve: flag.default(true),
  // Escalate in PagerDuty when a page is not acknowledged within this.
  ack_timeout: duration.prefault('5m'),
  // How long /ai-kill waits for the SDK view to show the flag off before it pages the owner.
  kill_verify_timeout: duration.prefault('30s'),
  // Words /ai-update refuses in stakeholder updates → the plain words to say instead. Adds to
  // the built-in list or replaces an entry of it; an empty value (~) drops a built-in term.
  update_jargon: z
    .record(
      text('a jargon term'),
      text('the plain words to say instead, or ~ to allow the term').nullable(),
      expecting('a mapping of jargon terms to plain words, like p99: slowest responses'),
    )
    .optional(),
  // How long a postmortem download link works (`/ai-postmortem revoke` ends them sooner).
  postmortem_link_ttl: window.prefault('7d'),
  // Error budgets: burn-rate alerts, the low-traffic guard and the weekly report.
  error_budget: ErrorBudgetDefaultsSchema.prefault({}),
  // Quality watches: how often they are evaluated and what a learned band or drift defaults to.
  watch: WatchDefaultsSchema.prefault({}),
});

const FeatureSchema = mapping({
  key: slug,
  name: text('a display name'),
  owner: mapping({ slack: slackUserId, email: z.email(expecting('an email address')).optional() }),
  pagerduty: mapping({
    service: pagerdutyId('service').optional(),
    escalation_policy: pagerdutyId('escalation policy').optional(),
    routing_key: routingKey.optional(),
  }).refine((pd) => pd.service !== undefined || pd.routing_key !== undefined, {
    error: 'expected a service id, a routing_key or both',
  }),
  slack: mapping({
    alerts_channel: slackChannelId,
    stakeholder_channel: slackChannelId.optional(),
    time_zone: timeZone.optional(),
    incident_channels: flag.default(false),
  }),
  unleash: mapping({
    project: text('an Unleash project id').default('default'),
    environment: text('an Unleash environment name').default('production'),
    flag: text('an Unleash feature flag name'),
    // Where /ai-kill drill rehearses the kill; no drills without it.
    drill_environment: text('an Unleash environment name').optional(),
  }).optional(),
  fallback: text('a sentence saying what users get while the feature is off').optional(),
  alert_match: mapping({
    label: labelName.optional(),
    values: nonEmptyList(text('a label value'), 'label values', 'label value'),
  }).optional(),
  auto_resolve: flag.optional(),
  ack_timeout: duration.optional(),
  permissions: mapping({
    kill: list(slackUserOrGroupId, 'Slack user or user group ids').optional(),
    restore: list(slackUserOrGroupId, 'Slack user or user group ids').optional(),
  }).optional(),
  // Wake someone for critical and error, not for warning and info, unless the file says otherwise.
  severity_urgency: mapping({
    critical: urgency.default('high'),
    error: urgency.default('high'),
    warning: urgency.default('low'),
    info: urgency.default('low'),
  }).prefault({}),
  // Optional: the feature's error budget. Without it the feature has none.
  slo: SloSchema.optional(),
  // Optional: bands and drift watched on the feature's measurements (POST /signals).
  watch: watchBlock.optional(),
});

export const CatalogFileSchema = mapping({
  defaults: DefaultsSchema.prefault({}),
  default_route: mapping({ feature: slug }).optional(),
  features: nonEmptyList(FeatureSchema, 'features', 'feature'),
});

export type CatalogFile = z.infer<typeof CatalogFileSchema>;
export type FeatureFile = CatalogFile['features'][number];
