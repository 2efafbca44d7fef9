// Slack's request signing (docs.slack.dev "Verifying requests from Slack"), the one copy that
// the console, the fake's event deliveries, the tests and the benches sign with, so a change
// to how Slack signs is made once and checked against Bolt's verifier in one test.
import { createHmac } from 'node:crypto';

export interface SlackRequestHeaders {
  'x-slack-signature': string;
  'x-slack-request-timestamp': string;
  'content-type': string;
  [header: string]: string;
}

/** Milliseconds since the epoch, like Bolt's `nowMilliseconds`; injectable so a test can sign stale. */
export type MsClock = () => number;

/** `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}` with the signing secret. */
export function slackSignature(signingSecret: string, timestampSeconds: number, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestampSeconds}:${body}`).digest('hex')}`;
}

/**
 * The headers Slack sends with `body`, timestamped by `now`. Events API envelopes are JSON;
 * slash commands and interactivity are form-encoded, so the body's first byte tells which.
 */
export function signedHeaders(
  signingSecret: string,
  body: string,
  now: MsClock = Date.now,
): SlackRequestHeaders {
  const timestamp = Math.floor(now() / 1000);
  return {
    'x-slack-signature': slackSignature(signingSecret, timestamp, body),
    'x-slack-request-timestamp': String(timestamp),
    'content-type': body.startsWith('{') ? 'application/json' : 'application/x-www-form-urlencoded',
  };
}

export interface PostSignedOptions {
  signingSecret: string;
  now?: MsClock;
  /** Added after the signed ones, e.g. X-Slack-Retry-Num for a redelivery. */
  headers?: Record<string, string>;
}

/** POSTs `body` to an app's Slack endpoint (e.g. `${appUrl}/slack/events`) the way Slack does. */
export function postSigned(url: string, body: string, options: PostSignedOptions): Promise<Response> {
  const signed = signedHeaders(options.signingSecret, body, options.now);
  return fetch(url, { method: 'POST', headers: { ...signed, ...options.headers }, body });
}
