// `/ai-kill status [feature]`: each flag's state per environment, its rollout and its last
// change, read from Unleash (not from Failsafe's memory); Failsafe's audit log only adds who
// and why to changes it made itself.
import { subDays } from 'date-fns/subDays';
import { type FlagEnvironment, type FlagEvent, rolloutOf } from '../../adapters/unleash-admin.ts';
import type { Feature, FlaggedFeature } from '../../config/catalog.ts';
import { whatFailed } from '../../kernel/errors.ts';
import { escapeMrkdwn } from '../../kernel/slack-text.ts';
import { latestPassedDrill, latestSucceededChange } from '../../store/flag-audit.ts';
import { findActiveRamp } from '../../store/flags.ts';
import { shortTime } from './messages.ts';
import type { KillDeps } from './operation.ts';

const DRILL_WINDOW_DAYS = 30;
/** An Unleash event and a Failsafe audit row this close together are the same change. */
const MATCH_WINDOW_MS = 60_000;

const EVENT_WORDS: Record<string, string> = {
  'feature-environment-enabled': 'turned on',
  'feature-environment-disabled': 'turned off',
  'feature-strategy-update': 'rollout changed',
  'feature-strategy-add': 'rollout added',
};

export async function statusReply(deps: KillDeps, features: FlaggedFeature[]): Promise<string> {
  const sections = await Promise.all(features.map((f) => describe(deps, f)));
  return sections.join('\n\n');
}

async function describe(deps: KillDeps, feature: FlaggedFeature): Promise<string> {
  const u = feature.unleash;
  const heading = `*${escapeMrkdwn(feature.name)}* (\`${feature.key}\`), flag \`${escapeMrkdwn(u.flag)}\``;
  let envs: FlagEnvironment[];
  let events: FlagEvent[];
  try {
    [envs, events] = await Promise.all([
      deps.unleash.admin.getFlag(u),
      deps.unleash.admin.recentEvents(u.flag),
    ]);
  } catch (error) {
    return `${heading}: could not read it from Unleash (${escapeMrkdwn(whatFailed(error))}).`;
  }
  const wanted = [u.environment, ...(u.drillEnvironment ? [u.drillEnvironment] : [])];
  const lines = await Promise.all(
    wanted.map(async (name) => {
      const env = envs.find((e) => e.name === name);
      if (!env) return `• ${name}: *no such environment in Unleash*`;
      const state = env.enabled ? `ON ${rolloutOf(env)}%` : 'OFF';
      const label = name === u.drillEnvironment && name !== u.environment ? `${name} (drills)` : name;
      return `• ${label}: *${state}*${await lastChange(deps, feature, events, name)}`;
    }),
  );
  const ramp = await findActiveRamp(deps.db, feature.key);
  if (ramp) {
    const at = ramp.steps[Math.max(0, ramp.stepIndex - 1)];
    lines.push(
      `• Restoring: step ${ramp.stepIndex} of ${ramp.steps.length} (${at}%), by ${escapeMrkdwn(ramp.requestedByName)}`,
    );
  }
  lines.push(await drillLine(deps, feature));
  return `${heading}\n${lines.join('\n')}`;
}

async function lastChange(
  deps: KillDeps,
  feature: Feature,
  events: FlagEvent[],
  env: string,
): Promise<string> {
  const event = events.find((e) => e.environment === env && EVENT_WORDS[e.type]);
  if (!event) return '';
  const when = shortTime(event.createdAt, feature.slack.timeZone);
  const day = event.createdAt.toISOString().slice(0, 10);
  const ours = await latestSucceededChange(deps.db, {
    featureKey: feature.key,
    environment: env,
    from: new Date(event.createdAt.getTime() - MATCH_WINDOW_MS),
    to: new Date(event.createdAt.getTime() + MATCH_WINDOW_MS),
  });
  const who = ours
    ? `${escapeMrkdwn(ours.actorName ?? ours.slackUserId)}: ${escapeMrkdwn(ours.reason ?? ours.action)}`
    : `${escapeMrkdwn(event.createdBy)}, outside Failsafe`;
  return ` — last change ${day} ${when}, ${EVENT_WORDS[event.type]} (${who})`;
}

async function drillLine(deps: KillDeps, feature: Feature): Promise<string> {
  if (!feature.unleash?.drillEnvironment)
    return '• Drills: no `drill_environment` in the catalog, *not drilled*';
  const since = subDays(deps.clock.now(), DRILL_WINDOW_DAYS);
  const drill = await latestPassedDrill(deps.db, feature.key, since);
  return drill
    ? `• Last drill: ${drill.at.toISOString().slice(0, 10)} (${escapeMrkdwn(drill.detail ?? 'passed')})`
    : `• *Not drilled* in the last ${DRILL_WINDOW_DAYS} days: \`/ai-kill drill ${feature.key}\``;
}
