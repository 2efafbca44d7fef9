// Sends Events API and interactivity requests to the app the way Slack does: signed with the
// signing secret by the request kit, 3 s to answer 2xx, and for events up to 3 retries
// carrying X-Slack-Retry-Num / X-Slack-Retry-Reason.
import { setTimeout as sleep } from 'node:timers/promises';
import { signedHeaders } from '../slack-signing.ts';
import type { DeliveryStatus, FakeDelivery, RetryReason } from './slack-delivery-types.ts';
import type { FakeSlackState } from './slack-state.ts';

export interface DeliveryOptions {
  /** Wait before retry 1, 2 and 3. Slack waits ≈0 s, 1 min and 5 min; the fake defaults to [0, 100, 200]. */
  retryDelaysMs?: readonly number[];
  /** How long the app has to answer; Slack's is 3 s. */
  timeoutMs?: number;
}

export interface DeliveryResult {
  /** The envelope's event_id (the trigger_id for interactivity). */
  eventId: string;
  /** The exact body sent, e.g. for controls.redeliver. */
  body: string;
  /** True once an attempt got a 2xx. */
  delivered: boolean;
  attempts: FakeDelivery[];
}

interface Target {
  url: string;
  signingSecret: string;
}

interface Outgoing {
  kind: FakeDelivery['kind'];
  eventId: string;
  type: string;
  body: string;
}

const MAX_RETRIES = 3;

const reasonFor = (status: DeliveryStatus): RetryReason =>
  status === 'timeout' ? 'http_timeout' : status === 'connection_failed' ? 'connection_failed' : 'http_error';

export function createDelivery(state: FakeSlackState, options: DeliveryOptions, notify: () => void) {
  const delays = options.retryDelaysMs ?? [0, 100, 200];
  const timeoutMs = options.timeoutMs ?? 3000;
  const stopped = new AbortController();
  let target: Target | undefined;

  async function send(out: Outgoing, to: Target, attempt: number, reason?: RetryReason) {
    const headers = signedHeaders(to.signingSecret, out.body);
    if (reason) {
      headers['x-slack-retry-num'] = String(attempt);
      headers['x-slack-retry-reason'] = reason;
    }
    const signal = AbortSignal.any([AbortSignal.timeout(timeoutMs), stopped.signal]);
    let status: DeliveryStatus;
    let noRetry = false;
    try {
      const response = await fetch(to.url, {
        method: 'POST',
        headers,
        body: out.body,
        redirect: 'manual',
        signal,
      });
      await response.arrayBuffer(); // the 3 s cover the whole answer
      status = response.status;
      noRetry = response.headers.get('x-slack-no-retry') === '1';
    } catch (error) {
      status = error instanceof Error && /abort|timeout/i.test(error.name) ? 'timeout' : 'connection_failed';
    }
    const record: FakeDelivery = {
      kind: out.kind,
      eventId: out.eventId,
      type: out.type,
      attempt,
      status,
      at: Date.now(),
    };
    if (reason) record.retryReason = reason;
    state.deliveries.push(record);
    notify();
    return { record, noRetry };
  }

  function requireTarget(): Target {
    if (!target) {
      throw new Error('fake Slack: no event target; call controls.setEventTarget(url, signingSecret) first');
    }
    return target;
  }

  const ok = (status: DeliveryStatus) => typeof status === 'number' && status >= 200 && status < 300;

  return {
    hasTarget: () => target !== undefined,

    setTarget(url: string, signingSecret: string): void {
      target = { url, signingSecret };
    },

    /** An event: retried up to 3 times unless answered 2xx (or `X-Slack-No-Retry: 1`). */
    async deliverEvent(out: Omit<Outgoing, 'kind'>): Promise<DeliveryResult> {
      const to = requireTarget();
      const event: Outgoing = { ...out, kind: 'event' };
      const attempts: FakeDelivery[] = [];
      let reason: RetryReason | undefined;
      for (let attempt = 0; attempt <= MAX_RETRIES && !stopped.signal.aborted; attempt += 1) {
        const wait = attempt > 0 ? (delays[attempt - 1] ?? 0) : 0;
        if (wait > 0) await sleep(wait, undefined, { signal: stopped.signal }).catch(() => undefined);
        if (stopped.signal.aborted) break;
        const { record, noRetry } = await send(event, to, attempt, reason);
        attempts.push(record);
        if (ok(record.status) || noRetry) break;
        reason = reasonFor(record.status);
      }
      return {
        eventId: out.eventId,
        body: out.body,
        delivered: attempts.some((a) => ok(a.status)),
        attempts,
      };
    },

    /** Interactivity payloads are sent once: Slack shows the user an error instead of retrying. */
    async deliverInteraction(out: Omit<Outgoing, 'kind'>): Promise<DeliveryResult> {
      const { record } = await send({ ...out, kind: 'interactivity' }, requireTarget(), 0);
      return { eventId: out.eventId, body: out.body, delivered: ok(record.status), attempts: [record] };
    },

    /** Sends `body` again, once, as retry number `retryNum`: the same bytes and event_id. */
    async redeliver(body: string, retryNum: number, reason: RetryReason): Promise<DeliveryResult> {
      const parsed = JSON.parse(body) as { event_id?: string; event?: { type?: string } };
      const out: Outgoing = {
        kind: 'event',
        eventId: parsed.event_id ?? '',
        type: parsed.event?.type ?? 'unknown',
        body,
      };
      const { record } = await send(out, requireTarget(), retryNum, reason);
      return { eventId: out.eventId, body, delivered: ok(record.status), attempts: [record] };
    },

    /** Aborts waits and requests in flight, so close() does not hang on a slow app. */
    stop: () => stopped.abort(),
  };
}

export type Delivery = ReturnType<typeof createDelivery>;
