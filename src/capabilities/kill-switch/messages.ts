// The lines the kill switch posts. Plain sentences a stakeholder could read; times in the
// feature's time zone.
import { TZDate } from '@date-fns/tz';
import { addMinutes } from 'date-fns/addMinutes';
import { format } from 'date-fns/format';
import type { Feature } from '../../config/catalog.ts';
import { escapeMrkdwn } from '../../kernel/slack-text.ts';

export const clockTime = (at: Date, timeZone: string) => format(new TZDate(at, timeZone), 'HH:mm:ss');
export const shortTime = (at: Date, timeZone: string) => format(new TZDate(at, timeZone), 'HH:mm');
export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export interface KillFacts {
  feature: Feature;
  environment: string;
  at: Date;
  by: string;
  reason: string;
}

const who = (f: KillFacts) => `${escapeMrkdwn(f.by)}: ${escapeMrkdwn(f.reason)}`;
const fallback = (feature: Feature) =>
  feature.fallback ? ` Fallback: ${escapeMrkdwn(feature.fallback)}.` : '';

export function confirmedOffLine(f: KillFacts, afterMs: number): string {
  const since = clockTime(f.at, f.feature.slack.timeZone);
  return (
    `:octagonal_sign: *${f.feature.key}* is OFF in ${f.environment} since ${since} (${who(f)}). ` +
    `SDKs confirmed off after ${seconds(afterMs)}.${fallback(f.feature)}`
  );
}

export function unverifiedOffLine(f: KillFacts, timeoutSeconds: number, owner: string): string {
  const since = clockTime(f.at, f.feature.slack.timeZone);
  return (
    `:warning: *${f.feature.key}* was turned off in Unleash (${f.environment}) at ${since} (${who(f)}), ` +
    `but SDKs still did not see it off after ${timeoutSeconds} s. Treat the feature as still ON. ` +
    `Paging the owner <@${owner}>: an unverified kill is an incident of its own.`
  );
}

export function pendingLine(feature: Feature, environment: string, problem: string): string {
  return (
    `:hourglass_flowing_sand: Turning off *${feature.key}* in ${environment} is pending: ${escapeMrkdwn(problem)}. ` +
    'Failsafe keeps retrying and will say here when it is off.'
  );
}

export function failedLine(feature: Feature, environment: string, problem: string): string {
  return (
    `:x: Could not turn off *${feature.key}* in ${environment}: ${escapeMrkdwn(problem)}. ` +
    'Nothing changed in Unleash; the feature is still ON.'
  );
}

/**
 * The two-sentence stakeholder update a kill leads to: what was disabled and why, and when
 * the next update comes.
 */
export function stakeholderUpdate(feature: Feature, at: Date, reason: string, nextInMinutes = 30): string {
  const zone = feature.slack.timeZone;
  return (
    `We disabled ${feature.name} at ${shortTime(at, zone)} after ${reason.replace(/[.\s]+$/, '')}. ` +
    `Next update at ${shortTime(addMinutes(at, nextInMinutes), zone)}.`
  );
}
