// The environment is a contract with operators (see env-schema.ts): validate it once at
// start-up and hand out a typed object, so nothing else reads process.env or re-checks a variable.
import type { z } from 'zod';
import { EnvSchema, type LOG_LEVELS } from './env-schema.ts';
import { decideMode, type Mode, type Problem } from './mode.ts';

export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  port: number;
  databaseUrl?: string;
  configPath: string;
  dataDir: string;
  logLevel: LogLevel;
  /** No trailing slash, so `${publicUrl}/path` is always right. */
  publicUrl: string;
  /** sandbox: simulated Slack/PagerDuty/Unleash, only when asked or when nothing real is set (mode.ts). */
  mode: Mode;
  slack: { botToken?: string; signingSecret?: string; appToken?: string; apiUrl: string };
  pagerduty: {
    apiToken?: string;
    fromEmail?: string;
    apiUrl: string;
    eventsUrl: string;
    webhookSecrets: string[];
  };
  unleash: { url?: string; adminToken?: string; clientToken?: string };
  /** Bearer tokens, comma-separated while one is rotated out (http/auth.ts splits them). */
  alertToken?: string;
  /** For /signals; when unset, /signals takes the alert token. */
  signalsToken?: string;
  /** When set, /metrics asks for it. */
  metricsToken?: string;
  /** Signing secrets of POST /alerts/langfuse; empty = the route says what to set. */
  langfuse: { webhookSecrets: string[] };
  /** HMAC of POST /alerts/grafana; empty secrets = the bearer token, as before. Header names lower-case. */
  grafana: { webhookSecrets: string[]; signatureHeader: string; timestampHeader: string };
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'CONFIG_INVALID';
  /** The environment variable at fault (the first one, when several are). */
  readonly variable: string;
  /** Every variable at fault, `variable` first. */
  readonly variables: readonly string[];
  constructor(variable: string, message: string, variables: readonly string[] = [variable]) {
    super(message);
    this.variable = variable;
    this.variables = variables;
  }
}

// Only these may be quoted back in an error: they can never hold a credential.
const ECHOABLE = new Set([
  'PORT',
  'LOG_LEVEL',
  'FAILSAFE_SANDBOX',
  'PAGERDUTY_FROM_EMAIL',
  'GRAFANA_WEBHOOK_SIGNATURE_HEADER',
  'GRAFANA_WEBHOOK_TIMESTAMP_HEADER',
]);

function fail(problems: Problem[], env: Record<string, string | undefined>): never {
  const [first, ...rest] = problems as [Problem, ...Problem[]];
  const raw = env[first.variable];
  const got = ECHOABLE.has(first.variable) && raw !== undefined ? `, got ${JSON.stringify(raw)}` : '';
  const more = rest.length ? ` (also: ${rest.map((p) => p.variable).join(', ')})` : '';
  throw new ConfigError(
    first.variable,
    `${first.variable}: ${first.expected}${got}${more}`,
    problems.map((p) => p.variable),
  );
}

const schemaProblems = (error: z.ZodError): Problem[] =>
  error.issues.map((issue) => ({ variable: String(issue.path[0]), expected: issue.message }));

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
    fail(schemaProblems(parsed.error), env);
  }
  const e = parsed.data;
  const { mode, problems } = decideMode(e, env);
  if (problems.length) fail(problems, env);

  return {
    port: e.PORT,
    ...opt('databaseUrl', e.DATABASE_URL),
    configPath: e.FAILSAFE_CONFIG,
    dataDir: e.FAILSAFE_DATA_DIR,
    logLevel: e.LOG_LEVEL,
    publicUrl: withoutTrailingSlash(e.FAILSAFE_PUBLIC_URL ?? `http://localhost:${e.PORT}`),
    mode,
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
    ...opt('signalsToken', e.FAILSAFE_SIGNALS_TOKEN),
    ...opt('metricsToken', e.FAILSAFE_METRICS_TOKEN),
    langfuse: { webhookSecrets: e.LANGFUSE_WEBHOOK_SECRETS ?? [] },
    grafana: {
      webhookSecrets: e.GRAFANA_WEBHOOK_SECRET ?? [],
      signatureHeader: e.GRAFANA_WEBHOOK_SIGNATURE_HEADER,
      timestampHeader: e.GRAFANA_WEBHOOK_TIMESTAMP_HEADER,
    },
  };
}

/**
 * The database settings alone, for `npm run db:migrate`: migrating ahead of a deploy must not
 * demand the Slack tokens that loadConfig requires outside the sandbox.
 */
export function loadDatabaseConfig(
  env: Record<string, string | undefined>,
): Pick<Config, 'databaseUrl' | 'dataDir'> {
  const parsed = EnvSchema.pick({ DATABASE_URL: true, FAILSAFE_DATA_DIR: true }).safeParse(env);
  if (!parsed.success) {
    fail(schemaProblems(parsed.error), env);
  }
  return { ...opt('databaseUrl', parsed.data.DATABASE_URL), dataDir: parsed.data.FAILSAFE_DATA_DIR };
}

/** Every credential in the config, for the logger to mask wherever it appears. */
export function secretValues(config: Config): string[] {
  const values = [
    config.slack.botToken,
    config.slack.signingSecret,
    config.slack.appToken,
    config.pagerduty.apiToken,
    ...config.pagerduty.webhookSecrets,
    ...config.langfuse.webhookSecrets,
    ...config.grafana.webhookSecrets,
    config.unleash.adminToken,
    ...[config.unleash.clientToken, config.alertToken, config.signalsToken, config.metricsToken].flatMap(
      (list) => list?.split(',').map((t) => t.trim()) ?? [],
    ),
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
