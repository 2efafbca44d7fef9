// JSON logs through pino. Secrets are removed twice: known header and field paths are
// redacted structurally, and every configured secret value is masked in the final line,
// which also catches a token that slipped into an error message.
import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger };

const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-slack-signature"]',
  'req.headers["x-pagerduty-signature"]',
  'req.headers["x-langfuse-signature"]',
  'req.headers["x-grafana-alerting-signature"]',
  '*.token',
  '*.password',
  '*.secret',
  'headers.authorization',
];

export function createLogger(options: {
  level?: string;
  secrets?: readonly string[];
  destination?: DestinationStream;
}): Logger {
  const secrets = (options.secrets ?? []).filter((s) => s.length >= 6).sort((a, b) => b.length - a.length);
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'failsafe' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      hooks: {
        streamWrite: (line) => maskLinkTokens(secrets.length ? maskSecrets(line, secrets) : line),
      },
    },
    options.destination,
  );
}

export function maskSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    out = out.split(secret).join('[redacted]');
    // Log lines are JSON: a secret with quotes, backslashes or control characters appears escaped.
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret) out = out.split(escaped).join('[redacted]');
  }
  return out;
}

/**
 * Links that act without a login carry their token in the path (`/ack/<token>`); a request
 * path in a log line must not be a working link. Covers the path field and any error text.
 */
const LINK_TOKEN = /(\/ack\/)[A-Za-z0-9_.-]{16,}/g;
/** Download links carry theirs as `?token=` (postmortem drafts). */
const QUERY_TOKEN = /([?&]token=)[^&"\s]+/g;

export function maskLinkTokens(text: string): string {
  return text.replace(LINK_TOKEN, '$1[redacted]').replace(QUERY_TOKEN, '$1[redacted]');
}
