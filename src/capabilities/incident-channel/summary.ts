// The incident summary: pinned in the incident channel when it opens, and what
// `/ai-incident status` posts. Facts only, each from where it lives (the flag from Unleash).
import { rolloutOf } from '../../adapters/unleash-admin.ts';
import type { Feature } from '../../config/catalog.ts';
import type { Incident } from '../../generated/prisma/client.ts';
import { whatFailed } from '../../kernel/errors.ts';
import { escapeMrkdwn, formatTime, slackLink } from '../../kernel/slack-text.ts';
import { rootCauseLabel } from './command.ts';
import type { ChannelDeps } from './deps.ts';

export async function incidentSummary(
  deps: ChannelDeps,
  incident: Incident,
  feature: Feature,
): Promise<string> {
  const zone = feature.slack.timeZone;
  const state =
    incident.status === 'resolved'
      ? 'RESOLVED'
      : incident.mitigatedAt
        ? 'MITIGATED'
        : incident.status.toUpperCase();
  const pd = incident.pdIncidentUrl ? ` · PagerDuty: ${slackLink(incident.pdIncidentUrl, 'incident')}` : '';
  const oncall = incident.assigneeName
    ? `${escapeMrkdwn(incident.assigneeName)}${incident.assigneeSlackId ? ` (<@${incident.assigneeSlackId}>)` : ''}`
    : 'not known yet';
  const next = incident.nextUpdateAt
    ? `due ${formatTime(incident.nextUpdateAt, zone)}`
    : 'none scheduled — post one with `/ai-update`';
  return [
    `:rotating_light: *Incident #${incident.number} — ${escapeMrkdwn(feature.name)}*: ${escapeMrkdwn(incident.title)}`,
    `• State: *${state}* · Severity: ${escapeMrkdwn(incident.severity)} · Started: ${formatTime(incident.openedAt, zone)}`,
    `• On call: ${oncall}${pd}`,
    `• Flag: ${await flagState(deps, feature)}`,
    `• Next stakeholder update: ${next}`,
    `• Root cause: ${rootCauseLabel(incident.rootCause)}${incident.rootCause ? '' : ' — `/ai-incident cause data|code|prompt|config|process`'}`,
  ].join('\n');
}

async function flagState(deps: ChannelDeps, feature: Feature): Promise<string> {
  const u = feature.unleash;
  if (!u) return 'no kill switch in the catalog';
  if (!deps.unleash) return `\`${u.flag}\` (Unleash not connected)`;
  try {
    const env = (await deps.unleash.admin.getFlag(u)).find((e) => e.name === u.environment);
    if (!env) return `\`${u.flag}\`: no environment ${u.environment} in Unleash`;
    const state = env.enabled ? `ON (${rolloutOf(env)}%)` : 'OFF';
    // The next move: a flag that is off is brought back with restore, not killed again.
    const next = env.enabled ? `/ai-kill ${feature.key}` : `/ai-kill restore ${feature.key}`;
    return `\`${u.flag}\` is *${state}* in ${u.environment} — \`${next}\``;
  } catch (error) {
    return `\`${u.flag}\`: could not read Unleash (${escapeMrkdwn(whatFailed(error))})`;
  }
}
