// The queue-depth gauge is refreshed by a timer, never by a scrape: /metrics may be scraped
// by anyone who can reach it (or every few seconds by several Prometheus servers), and each
// refresh asks the database once per queue.
import type { Gauge } from 'prom-client';
import type { Logger } from './logger.ts';

export const QUEUE_DEPTH_INTERVAL_MS = 15_000;

export function startQueueDepthSampler(options: {
  depth: () => Promise<Record<string, number>>;
  gauge: Gauge<'queue'>;
  logger: Logger;
  intervalMs?: number;
}): { first: Promise<void>; stop(): void } {
  let running = false;
  const sample = async () => {
    // A slow database must not stack refreshes on top of each other.
    if (running) return;
    running = true;
    try {
      for (const [queue, depth] of Object.entries(await options.depth())) options.gauge.set({ queue }, depth);
    } catch (error) {
      options.logger.warn({ err: error }, 'queue depth could not be read; the gauge keeps its last value');
    } finally {
      running = false;
    }
  };
  const first = sample();
  const timer = setInterval(() => void sample(), options.intervalMs ?? QUEUE_DEPTH_INTERVAL_MS);
  timer.unref();
  return { first, stop: () => clearInterval(timer) };
}
