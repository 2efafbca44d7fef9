// PagerDuty Events API v2 client: POST /v2/enqueue. 202 = accepted, 400 = invalid (do not
// retry), 429/5xx = retry later — classified by the shared transport.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { type ClientOptions, joinUrl, UpstreamError } from './http.ts';
import { DEFAULT_TIMEOUT_MS, SERVICE, send } from './pagerduty-wire.ts';

const MAX_DEDUP_KEY = 255;
const MAX_EVENT_BYTES = 512 * 1024;

export interface EnqueueInput {
  routingKey: string;
  action: 'trigger' | 'acknowledge' | 'resolve';
  dedupKey: string;
  summary: string;
  source: string;
  severity: 'critical' | 'error' | 'warning' | 'info';
  links?: { href: string; text: string }[] | undefined;
  customDetails?: Record<string, unknown> | undefined;
}

const EnqueueResponse = z.object({ status: z.string(), dedup_key: z.string().optional() });

/** PagerDuty rejects dedup keys over 255 characters; longer ones become their SHA-256 hex. */
export function normalizeDedupKey(key: string): string {
  return key.length <= MAX_DEDUP_KEY ? key : createHash('sha256').update(key).digest('hex');
}

export function createPagerDutyEvents(opts: ClientOptions) {
  const url = joinUrl(opts.baseUrl, '/v2/enqueue');
  const fetchImpl = opts.fetch ?? globalThis.fetch;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return {
    async enqueue(input: EnqueueInput): Promise<{ dedupKey: string }> {
      const dedupKey = normalizeDedupKey(input.dedupKey);
      const body = serializeEvent(input, dedupKey, url);
      const secrets = [input.routingKey, opts.token ?? ''];
      const headers = { 'Content-Type': 'application/json' };
      const res = await send(
        { fetch: fetchImpl, timeoutMs, secrets },
        'POST',
        url,
        headers,
        EnqueueResponse,
        body,
      );
      return { dedupKey: res.dedup_key ?? dedupKey };
    },
  };
}

/**
 * PagerDuty only reads payload and links on triggers. Over 512 KB, custom details are dropped
 * rather than losing the page; if the event is still too large, it cannot be sent.
 */
function serializeEvent(input: EnqueueInput, dedupKey: string, url: string): string {
  const base = { routing_key: input.routingKey, event_action: input.action, dedup_key: dedupKey };
  if (input.action !== 'trigger') return JSON.stringify(base);
  const payload = { summary: input.summary, source: input.source, severity: input.severity };
  const event = (customDetails: Record<string, unknown> | undefined) =>
    JSON.stringify({
      ...base,
      payload: customDetails === undefined ? payload : { ...payload, custom_details: customDetails },
      ...(input.links === undefined ? {} : { links: input.links }),
    });
  const full = event(input.customDetails);
  if (Buffer.byteLength(full) <= MAX_EVENT_BYTES) return full;
  const trimmed = event({ note: 'custom details dropped: the event exceeded 512 KB' });
  if (Buffer.byteLength(trimmed) <= MAX_EVENT_BYTES) return trimmed;
  const detail = 'event exceeds 512 KB even without custom details';
  throw new UpstreamError(SERVICE, 'POST', url, 'invalid', undefined, detail);
}
