// The zod schema over Failsafe's environment variables, one entry per variable; operators'
// deployments depend on them, so one is renamed or removed only with a migration path.
// Messages say what is expected and never quote the value: most of these are credentials.
import { z } from 'zod';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

// Orchestrators often set a variable to '' to mean "unset"; stray whitespace comes from secret files.
const blankToUndefined = (value: unknown) => {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
};
/** FAILSAFE_SANDBOX=1 is how switches are usually written; the schema then sees true or false. */
const onOff = (value: unknown) => {
  const v = blankToUndefined(value);
  if (typeof v !== 'string') return v;
  const lower = v.toLowerCase();
  return lower === '1' ? 'true' : lower === '0' ? 'false' : lower;
};
const optionalString = () => z.preprocess(blankToUndefined, z.string().optional());
const httpUrl = (what: string) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), {
        error: `expected ${what} (an http:// or https:// URL)`,
      })
      .optional(),
  );

/**
 * A bearer token, or several separated by commas while one is rotated out: each at least 16
 * characters. Kept as the normalised list ("a,b") so a single token reads as it always did.
 */
const bearerTokens = () =>
  z.preprocess(
    (value) => {
      const v = blankToUndefined(value);
      if (typeof v !== 'string') return v;
      const tokens = v
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean);
      return tokens.length ? tokens.join(',') : undefined;
    },
    z
      .string()
      .refine((v) => v.split(',').every((t) => t.length >= 16), {
        error:
          'expected at least 16 characters (a long random bearer token); several are separated by commas during rotation',
      })
      .optional(),
  );

/**
 * Webhook signing secrets: one, or several separated by commas while one is rotated out (any
 * one that matches is enough). Kept as a list; each at least 16 characters, because a short
 * HMAC key is a guessable one.
 */
const signingSecrets = (example: string) =>
  z.preprocess(
    (value) => {
      const v = blankToUndefined(value);
      if (typeof v !== 'string') return v;
      const secrets = v
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean);
      return secrets.length ? secrets : undefined;
    },
    z
      .array(z.string())
      .refine((list) => list.every((t) => t.length >= 16), {
        error: `expected at least 16 characters (${example}); several are separated by commas during rotation`,
      })
      .optional(),
  );

/** An HTTP header name (RFC 9110 token characters), kept lower-case as Node reports headers. */
const headerName = (fallback: string) =>
  z.preprocess(
    (value) => {
      const v = blankToUndefined(value);
      return typeof v === 'string' ? v.toLowerCase() : v;
    },
    z
      .string()
      .regex(/^[!#$%&'*+.^_`|~0-9a-z-]+$/, { error: 'expected an HTTP header name, e.g. x-signature' })
      .default(fallback),
  );

const PORT_EXPECTED = { error: 'expected a port number from 0 to 65535' };

export const EnvSchema = z.object({
  PORT: z.preprocess(
    blankToUndefined,
    z.coerce
      .number(PORT_EXPECTED)
      .int(PORT_EXPECTED)
      .min(0, PORT_EXPECTED)
      .max(65535, PORT_EXPECTED)
      .default(3000),
  ),
  DATABASE_URL: z.preprocess(
    blankToUndefined,
    z
      .string()
      .refine((v) => URL.canParse(v) && /^postgres(ql)?:$/.test(new URL(v).protocol), {
        error:
          'expected a postgres:// or postgresql:// connection URL (leave unset for the embedded database)',
      })
      .optional(),
  ),
  FAILSAFE_CONFIG: z.preprocess(blankToUndefined, z.string().default('./failsafe.yml')),
  FAILSAFE_DATA_DIR: z.preprocess(blankToUndefined, z.string().default('.failsafe')),
  LOG_LEVEL: z.preprocess(
    (v) => {
      const level = blankToUndefined(v);
      return typeof level === 'string' ? level.toLowerCase() : level;
    },
    z.enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  ),
  FAILSAFE_SANDBOX: z.preprocess(
    onOff,
    z.enum(['true', 'false'], { error: 'expected "true" or "false" (or 1 or 0)' }).optional(),
  ),
  // Read only to refuse the sandbox in production; Failsafe has no other NODE_ENV behaviour.
  NODE_ENV: optionalString(),
  FAILSAFE_PUBLIC_URL: httpUrl('the public base URL of this server'),
  SLACK_BOT_TOKEN: optionalString(),
  SLACK_SIGNING_SECRET: optionalString(),
  SLACK_APP_TOKEN: optionalString(),
  SLACK_API_URL: httpUrl('the Slack Web API base URL'),
  PAGERDUTY_API_TOKEN: optionalString(),
  PAGERDUTY_FROM_EMAIL: z.preprocess(
    blankToUndefined,
    z.email({ error: 'expected the email address of a PagerDuty user' }).optional(),
  ),
  PAGERDUTY_API_URL: httpUrl('the PagerDuty REST API base URL'),
  PAGERDUTY_EVENTS_URL: httpUrl('the PagerDuty Events API base URL'),
  PAGERDUTY_WEBHOOK_SECRETS: optionalString(),
  UNLEASH_URL: httpUrl('the Unleash server URL'),
  UNLEASH_ADMIN_TOKEN: optionalString(),
  UNLEASH_CLIENT_TOKEN: optionalString(),
  FAILSAFE_ALERT_TOKEN: bearerTokens(),
  // /signals (and /evals): its own token, so an alert source cannot feed the error budget.
  // Unset = the alert token, as before this variable existed.
  FAILSAFE_SIGNALS_TOKEN: bearerTokens(),
  // Set = GET /metrics asks for it as a bearer token; unset = /metrics is open.
  FAILSAFE_METRICS_TOKEN: bearerTokens(),
  // Set = POST /alerts/langfuse exists and checks x-langfuse-signature against these.
  LANGFUSE_WEBHOOK_SECRETS: signingSecrets('the lf-whsec_… signing secret Langfuse shows'),
  // Set = POST /alerts/grafana must carry Grafana's HMAC signature instead of the bearer token.
  GRAFANA_WEBHOOK_SECRET: signingSecrets("the contact point's HMAC secret"),
  // Grafana's code defaults to X-Grafana-Alerting-Signature, its docs have named others: settable.
  GRAFANA_WEBHOOK_SIGNATURE_HEADER: headerName('x-grafana-alerting-signature'),
  // Grafana signs "<timestamp>:<body>" only when its contact point names a timestamp header.
  GRAFANA_WEBHOOK_TIMESTAMP_HEADER: headerName('x-grafana-alerting-timestamp'),
});

export type Env = z.infer<typeof EnvSchema>;
