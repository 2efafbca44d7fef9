// /ai-oncall [feature]: who is on call now for the feature's escalation policy, level by
// level, when each shift hands off and to whom — in the asking person's time zone.

import { TZDate } from '@date-fns/tz';
import type { AllMiddlewareArgs, App, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { format } from 'date-fns/format';
import type { Oncall, PagerDutyRest } from '../../adapters/pagerduty.ts';
import type { Feature } from '../../config/catalog.ts';
import { whatFailed } from '../../kernel/errors.ts';
import { escalationPolicyOf } from '../../kernel/escalation-policy.ts';
import { escapeMrkdwn } from '../../kernel/slack-text.ts';
import type { PagingDeps } from './deps.ts';

export function registerOncall(app: App, deps: PagingDeps): void {
  app.command('/ai-oncall', (args) => onOncallCommand(deps, args));
}

export async function onOncallCommand(
  deps: PagingDeps,
  { ack, command, respond }: SlackCommandMiddlewareArgs & AllMiddlewareArgs,
): Promise<void> {
  await ack();
  const text = await oncallReply(deps, command.text.trim(), command.channel_id, command.user_id);
  await respond({ response_type: 'ephemeral', text });
}

export async function oncallReply(
  deps: PagingDeps,
  arg: string,
  channelId: string,
  userId: string,
): Promise<string> {
  const all = deps.catalog.catalog.features;
  const known = all.map((f) => `\`${f.key}\``).join(', ');
  let features: Feature[];
  if (arg) {
    const feature = deps.catalog.featureByKey(arg.split(/\s+/)[0] ?? '');
    if (!feature)
      return `Unknown feature \`${escapeMrkdwn(arg)}\`. Try \`/ai-oncall <feature>\` with one of: ${known}.`;
    features = [feature];
  } else {
    const here = all.filter((f) => f.slack.alertsChannel === channelId);
    features = here.length ? here : all;
  }
  const rest = deps.pagerduty.rest;
  if (!rest)
    return 'Failsafe has no PagerDuty REST API token (PAGERDUTY_API_TOKEN), so it cannot look up who is on call.';
  const profile = await deps.slack.usersInfo(userId).catch(() => null);
  const zone = profile?.tz ?? deps.catalog.catalog.defaults.timeZone;
  const sections = await Promise.all(features.map((f) => describeFeature(deps, rest, f, zone)));
  return `${sections.join('\n\n')}\n_Times in ${zone}._`;
}

async function describeFeature(
  deps: PagingDeps,
  rest: PagerDutyRest,
  feature: Feature,
  zone: string,
): Promise<string> {
  const heading = `*${escapeMrkdwn(feature.name)}* (\`${feature.key}\`)`;
  try {
    const policy = await escalationPolicyOf(rest, feature.pagerduty);
    if (!policy)
      return `${heading}: pages through the Events API only, so Failsafe cannot see who is on call.`;
    const now = await rest.listOncalls(policy);
    if (!now.length) return `${heading}: *nobody is on call* for escalation policy ${policy}.`;
    const lines = await Promise.all(byLevel(now).map((level) => describeLevel(deps, policy, level, zone)));
    return `${heading}\n${lines.join('\n')}`;
  } catch (error) {
    return `${heading}: could not ask PagerDuty (${escapeMrkdwn(whatFailed(error))}).`;
  }
}

function byLevel(oncalls: Oncall[]): Oncall[][] {
  const levels = new Map<number, Oncall[]>();
  for (const o of oncalls) levels.set(o.escalationLevel, [...(levels.get(o.escalationLevel) ?? []), o]);
  return [...levels.entries()].sort(([a], [b]) => a - b).map(([, list]) => list);
}

async function describeLevel(
  deps: PagingDeps,
  policy: string,
  level: Oncall[],
  zone: string,
): Promise<string> {
  const first = level[0] as Oncall;
  const people = await Promise.all(level.map((o) => person(deps, o)));
  const now = `• Level ${first.escalationLevel}: ${people.join(', ')}`;
  if (!first.end) return `${now}, always on call`;
  const handOff = format(new TZDate(first.end, zone), 'EEE d MMM HH:mm');
  const after = await deps.pagerduty.rest?.listOncalls(policy, { since: first.end }).catch(() => []);
  const next = (after ?? []).filter((o) => o.escalationLevel === first.escalationLevel);
  const nextPeople = next.length
    ? (await Promise.all(next.map((o) => person(deps, o)))).join(', ')
    : 'nobody';
  return `${now} until ${handOff}, then ${nextPeople}`;
}

async function person(deps: PagingDeps, oncall: Oncall): Promise<string> {
  const slack = oncall.user.email
    ? await deps.slack.lookupUserByEmail(oncall.user.email).catch(() => null)
    : null;
  return `*${escapeMrkdwn(oncall.user.name)}*${slack ? ` (<@${slack.id}>)` : ''}`;
}
