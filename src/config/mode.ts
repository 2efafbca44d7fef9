// Sandbox or production, and what production needs. The sandbox must never start by accident
// next to real settings: it once started because only SLACK_BOT_TOKEN was missing, ran the
// migrations on a production DATABASE_URL and sent a real alert to the fake PagerDuty. So it
// runs only when asked (FAILSAFE_SANDBOX=1) or when nothing real is configured at all, and a
// half-configured production stops with the names of what is missing.
import type { Env } from './env-schema.ts';

export type Mode = 'sandbox' | 'production';

export interface Problem {
  variable: string;
  expected: string;
}

// Prefixes, not the schema's keys: a misspelt SLACK_BOT_TOKN still says "this is for real".
const REAL_SETTING = /^(SLACK_|PAGERDUTY_|UNLEASH_)|^DATABASE_URL$/;

/** The Slack, PagerDuty, Unleash and database variables that are set (blank counts as unset). */
export function realSettings(env: Record<string, string | undefined>): string[] {
  return Object.keys(env)
    .filter((name) => REAL_SETTING.test(name) && Boolean(env[name]?.trim()))
    .sort();
}

export function decideMode(
  env: Env,
  raw: Record<string, string | undefined>,
): { mode: Mode; problems: Problem[] } {
  const production = env.NODE_ENV === 'production';
  if (env.FAILSAFE_SANDBOX === 'true') {
    const refused = {
      variable: 'FAILSAFE_SANDBOX',
      expected: 'cannot turn the sandbox on with NODE_ENV=production (the sandbox never runs in production)',
    };
    return { mode: 'sandbox', problems: production ? [refused] : [] };
  }
  const settings = realSettings(raw);
  const reasons = [
    ...(env.FAILSAFE_SANDBOX === 'false' ? ['FAILSAFE_SANDBOX=false'] : []),
    ...(production ? ['NODE_ENV=production'] : []),
    ...(settings.length ? [`${settings.join(', ')} ${settings.length > 1 ? 'are' : 'is'} set`] : []),
  ];
  if (!reasons.length) return { mode: 'sandbox', problems: [] };
  return { mode: 'production', problems: productionProblems(env, reasons.join(' and ')) };
}

const missing = (set: unknown, variable: string, expected: string): Problem[] =>
  set ? [] : [{ variable, expected }];

/**
 * Slack (both halves), the alert token (without it every alert is refused) and no half-configured
 * PagerDuty or Unleash. PagerDuty and Unleash stay optional: without them paging uses the Events
 * API and /ai-kill says what to configure.
 */
function productionProblems(env: Env, why: string): Problem[] {
  const unleash = env.UNLEASH_URL || env.UNLEASH_ADMIN_TOKEN || env.UNLEASH_CLIENT_TOKEN;
  return [
    ...missing(env.SLACK_BOT_TOKEN, 'SLACK_BOT_TOKEN', `required when ${why}`),
    ...missing(
      env.SLACK_SIGNING_SECRET,
      'SLACK_SIGNING_SECRET',
      env.SLACK_BOT_TOKEN
        ? 'required when SLACK_BOT_TOKEN is set (Basic Information → Signing Secret in the Slack app)'
        : `required when ${why}`,
    ),
    ...missing(env.FAILSAFE_ALERT_TOKEN, 'FAILSAFE_ALERT_TOKEN', `required when ${why}`),
    ...missing(
      !env.PAGERDUTY_API_TOKEN || env.PAGERDUTY_FROM_EMAIL,
      'PAGERDUTY_FROM_EMAIL',
      'required when PAGERDUTY_API_TOKEN is set (the email of a PagerDuty user, sent as the From header)',
    ),
    ...missing(
      !env.PAGERDUTY_FROM_EMAIL || env.PAGERDUTY_API_TOKEN,
      'PAGERDUTY_API_TOKEN',
      'required when PAGERDUTY_FROM_EMAIL is set',
    ),
    ...missing(!unleash || env.UNLEASH_URL, 'UNLEASH_URL', 'required when another UNLEASH_ variable is set'),
    ...missing(
      !unleash || env.UNLEASH_ADMIN_TOKEN,
      'UNLEASH_ADMIN_TOKEN',
      'required when another UNLEASH_ variable is set (an admin token: Failsafe flips flags)',
    ),
  ];
}
