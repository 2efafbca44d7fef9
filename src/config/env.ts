// The environment is a contract with operators (see env-schema.ts): validate it once at
// start-up and hand out a typed object, so nothing else reads process.env or re-checks a variable.
import { type Env, EnvSchema, type LOG_LEVELS } from './env-schema.ts';

export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  port: number;
  databaseUrl?: string;
  configPath: string;
  dataDir: string;
  logLevel: LogLevel;
  /** No trailing slash, so `${publicUrl}/path` is always right. */
  publicUrl: string;
  /** Simulated Slack/PagerDuty/Unleash: on when no Slack bot token is set, unless FAILSAFE_SANDBOX=false. */
  sandbox: boolean;
  slack: { botToken?: string; signingSecret?: string; appToken?: string; apiUrl: string };
  pagerduty: {
    apiToken?: string;
    fromEmail?: string;
    apiUrl: string;
    eventsUrl: string;
    webhookSecrets: string[];
  };
  unleash: { url?: string; adminToken?: string; clientToken?: string };
  alertToken?: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'CONFIG_INVALID';
  constructor(
    /** The environment variable at fault (the first one, when several are). */
    readonly variable: string,
    message: string,
  ) {
    super(message);
  }
}

// Only these may be quoted back in an error: they can never hold a credential.
const ECHOABLE = new Set(['PORT', 'LOG_LEVEL', 'FAILSAFE_SANDBOX', 'PAGERDUTY_FROM_EMAIL']);

interface Problem {
  variable: string;
  expected: string;
}

function crossFieldProblems(env: Env, sandbox: boolean): Problem[] {
  const problems: Problem[] = [];
  if (!sandbox && !env.SLACK_BOT_TOKEN) {
    problems.push({ variable: 'SLACK_BOT_TOKEN', expected: 'required when FAILSAFE_SANDBOX=false' });
  }
  if (!sandbox && env.SLACK_BOT_TOKEN && !env.SLACK_SIGNING_SECRET) {
    problems.push({
      variable: 'SLACK_SIGNING_SECRET',
      expected: 'required when SLACK_BOT_TOKEN is set (Basic Information → Signing Secret in the Slack app)',
    });
  }
  if (env.PAGERDUTY_API_TOKEN && !env.PAGERDUTY_FROM_EMAIL) {
    problems.push({
      variable: 'PAGERDUTY_FROM_EMAIL',
      expected:
        'required when PAGERDUTY_API_TOKEN is set (the email of a PagerDuty user, sent as the From header)',
    });
  }
  return problems;
}

function fail(problems: Problem[], env: Record<string, string | undefined>): never {
  const [first, ...rest] = problems as [Problem, ...Problem[]];
  const raw = env[first.variable];
  const got = ECHOABLE.has(first.variable) && raw !== undefined ? `, got ${JSON.stringify(raw)}` : '';
  const more = rest.length ? ` (also: ${rest.map((p) => p.variable).join(', ')})` : '';
  throw new ConfigError(first.variable, `${first.variable}: ${first.expected}${got}${more}`);
}

const withoutTrailingSlash = (url: string) => url.replace(/\/+$/, '');
// The Slack WebClient appends method names directly; other clients join paths themselves.
const withTrailingSlash = (url: string) => `${withoutTrailingSlash(url)}/`;

/** Spreads `{ [key]: value }` only when value is set: exactOptionalPropertyTypes forbids explicit undefined. */
function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    fail(
      parsed.error.issues.map((issue) => ({ variable: String(issue.path[0]), expected: issue.message })),
      env,
    );
  }
  const e = parsed.data;
  const sandbox = e.FAILSAFE_SANDBOX ? e.FAILSAFE_SANDBOX === 'true' : !e.SLACK_BOT_TOKEN;
  const problems = crossFieldProblems(e, sandbox);
  if (problems.length) fail(problems, env);

  return {
    port: e.PORT,
    ...opt('databaseUrl', e.DATABASE_URL),
    configPath: e.FAILSAFE_CONFIG,
    dataDir: e.FAILSAFE_DATA_DIR,
    logLevel: e.LOG_LEVEL,
    publicUrl: withoutTrailingSlash(e.FAILSAFE_PUBLIC_URL ?? `http://localhost:${e.PORT}`),
    sandbox,
    slack: {
      ...opt('botToken', e.SLACK_BOT_TOKEN),
      ...opt('signingSecret', e.SLACK_SIGNING_SECRET),
      ...opt('appToken', e.SLACK_APP_TOKEN),
      apiUrl: withTrailingSlash(e.SLACK_API_URL ?? 'https://slack.com/api/'),
    },
    pagerduty: {
      ...opt('apiToken', e.PAGERDUTY_API_TOKEN),
      ...opt('fromEmail', e.PAGERDUTY_FROM_EMAIL),
      apiUrl: withoutTrailingSlash(e.PAGERDUTY_API_URL ?? 'https://api.pagerduty.com'),
      eventsUrl: withoutTrailingSlash(e.PAGERDUTY_EVENTS_URL ?? 'https://events.pagerduty.com'),
      webhookSecrets: (e.PAGERDUTY_WEBHOOK_SECRETS ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    },
    unleash: {
      ...opt('url', e.UNLEASH_URL && withoutTrailingSlash(e.UNLEASH_URL)),
      ...opt('adminToken', e.UNLEASH_ADMIN_TOKEN),
      ...opt('clientToken', e.UNLEASH_CLIENT_TOKEN),
    },
    ...opt('alertToken', e.FAILSAFE_ALERT_TOKEN),
  };
}

/** Every credential in the config, for the logger to mask wherever it appears. */
export function secretValues(config: Config): string[] {
  const values = [
    config.slack.botToken,
    config.slack.signingSecret,
    config.slack.appToken,
    config.pagerduty.apiToken,
    ...config.pagerduty.webhookSecrets,
    config.unleash.adminToken,
    ...(config.unleash.clientToken?.split(',').map((t) => t.trim()) ?? []),
    config.alertToken,
    ...databasePassword(config.databaseUrl),
  ];
  return [...new Set(values.filter((v): v is string => typeof v === 'string' && v !== ''))];
}

function databasePassword(databaseUrl: string | undefined): string[] {
  if (!databaseUrl || !URL.canParse(databaseUrl)) return [];
  const { password } = new URL(databaseUrl);
  // Logs may show either form, e.g. a driver error quoting the URL or the decoded value.
  if (!password) return [];
  try {
    return [password, decodeURIComponent(password)];
  } catch {
    return [password];
  }
}
