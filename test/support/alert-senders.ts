// Monitoring systems as a storm test needs them: concurrent senders that re-send an alert after
// a 503 until it is taken, the way Alertmanager does, recording every answer and when it came.
// With `resendUnanswered` a sender also re-sends after a dropped connection or any 5xx, as
// Alertmanager does when the process it posts to is killed under it.
import type { Running } from '../../src/runtime.ts';
import { postAlert } from './harness.ts';

export interface Answer {
  /** The HTTP status; 0 when no answer came (the connection was refused or dropped). */
  status: number;
  /** When the request was sent and when its answer came (epoch ms). */
  sent: number;
  at: number;
}

export interface Storm {
  /** Every answer, retries included, in the order they came. */
  readonly answers: Answer[];
  /** Fingerprints of the alerts answered 202, in that order. */
  readonly taken: string[];
  /** Resolves when every alert is taken; rejects on an answer it does not re-send after. */
  readonly done: Promise<void>;
}

export interface StormOptions<A> {
  retryDelayMs?: number;
  /** The intake source to post to (default generic, where the alert itself is the body). */
  source?: string;
  /** The request body for an alert (default: the alert). */
  body?: (alert: A) => unknown;
  /** Re-send after no answer or any 5xx, not only after a 503. */
  resendUnanswered?: boolean;
}

/**
 * Sends `alerts` from `clients` concurrent senders; returns at once. `app.url` is read for every
 * request, so a getter can follow a process that was restarted on another port.
 */
export function alertStorm<A extends { fingerprint: string }>(
  app: Pick<Running, 'url'>,
  alerts: A[],
  clients: number,
  options: StormOptions<A> = {},
): Storm {
  const answers: Answer[] = [];
  const taken: string[] = [];
  const resend = (status: number) =>
    status === 503 || (options.resendUnanswered === true && (status === 0 || status >= 500));
  let next = 0;
  async function sender(): Promise<void> {
    while (next < alerts.length) {
      const alert = alerts[next++] as A;
      for (;;) {
        const sent = Date.now();
        const status = await post(app, options, alert);
        answers.push({ status, sent, at: Date.now() });
        if (status === 202) break;
        if (!resend(status)) throw new Error(`${alert.fingerprint}: answered ${status}`);
        // The sender's own back-off (Alertmanager's is longer); there is no event to await.
        await new Promise((r) => setTimeout(r, options.retryDelayMs ?? 100));
      }
      taken.push(alert.fingerprint);
    }
  }
  return { answers, taken, done: Promise.all(Array.from({ length: clients }, sender)).then(() => {}) };
}

async function post<A>(app: Pick<Running, 'url'>, options: StormOptions<A>, alert: A): Promise<number> {
  try {
    const res = await postAlert(app, options.source ?? 'generic', options.body ? options.body(alert) : alert);
    await res.arrayBuffer();
    return res.status;
  } catch (error) {
    // fetch rejects on a refused or reset connection: no answer, which only a killer expects.
    if (options.resendUnanswered) return 0;
    throw error;
  }
}
