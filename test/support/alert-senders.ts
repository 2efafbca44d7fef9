// Monitoring systems as a storm test needs them: concurrent senders that re-send an alert after
// a 503 until it is taken, the way Alertmanager does, recording every answer and when it came.
import type { Running } from '../../src/runtime.ts';
import { postAlert } from './harness.ts';

export interface Answer {
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
  /** Resolves when every alert is taken; rejects on an answer other than 202 or 503. */
  readonly done: Promise<void>;
}

/** Sends `alerts` (generic source) from `clients` concurrent senders; returns at once. */
export function alertStorm(
  app: Pick<Running, 'url'>,
  alerts: { fingerprint: string }[],
  clients: number,
  options: { retryDelayMs?: number } = {},
): Storm {
  const answers: Answer[] = [];
  const taken: string[] = [];
  let next = 0;
  async function sender(): Promise<void> {
    while (next < alerts.length) {
      const alert = alerts[next++] as { fingerprint: string };
      for (;;) {
        const sent = Date.now();
        const res = await postAlert(app, 'generic', alert);
        await res.arrayBuffer();
        answers.push({ status: res.status, sent, at: Date.now() });
        if (res.status === 202) break;
        if (res.status !== 503) throw new Error(`${alert.fingerprint}: answered ${res.status}`);
        // The sender's own back-off (Alertmanager's is longer); there is no event to await.
        await new Promise((r) => setTimeout(r, options.retryDelayMs ?? 100));
      }
      taken.push(alert.fingerprint);
    }
  }
  return { answers, taken, done: Promise.all(Array.from({ length: clients }, sender)).then(() => {}) };
}
