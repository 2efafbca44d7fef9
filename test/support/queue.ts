// "Exactly once" is only seen once the work is over: a duplicate page or post arrives after
// the first one, so counting when the first appears misses it. This waits until the queue
// has nothing left to do soon, then a count is final.
import type { TestDatabase } from './database.ts';
import { waitUntil } from './wait.ts';

/**
 * An inline attempt runs while its job waits in pg-boss under a lease (start_after = now +
 * the 20 s inline lease), so "due soon" must reach past the lease or an attempt still in
 * flight would look idle. Jobs due later (a 5 min ack timeout, a retry 30 s out) are not work
 * in progress.
 */
const DUE_WITHIN_SECONDS = 25;

/** Chains that always hold their next slot: never idle, and not what a count is about. */
export const PERIODIC = ['budget-evaluate', 'budget-report', 'postmortem-sweep', 'watch-evaluate'];

export interface QueueIdleOptions {
  /** Only these queues; unset = every queue except the periodic chains. */
  queues?: string[];
  timeoutMs?: number;
}

/** Jobs that are running, or waiting and due within DUE_WITHIN_SECONDS, by queue. */
export async function busyJobs(
  database: TestDatabase,
  options: QueueIdleOptions = {},
): Promise<{ name: string; state: string; n: number }[]> {
  const wanted = options.queues ?? null;
  return database.query<{ name: string; state: string; n: number }>(
    `SELECT name, state::text AS state, count(*)::int AS n FROM pgboss.job
      WHERE (state = 'active'
         OR (state IN ('created', 'retry') AND start_after <= now() + make_interval(secs => $1)))
        AND ($2::text[] IS NULL OR name = ANY($2::text[]))
        AND ($2::text[] IS NOT NULL OR name <> ALL($3::text[]))
      GROUP BY name, state ORDER BY name, state`,
    [DUE_WITHIN_SECONDS, wanted, PERIODIC],
  );
}

/**
 * Waits until no job is running or due soon. One read is a consistent snapshot: a handler
 * stores its follow-up jobs (the post after the page) before its own job completes.
 */
export async function waitForQueueIdle(
  ctx: { database: TestDatabase },
  options: QueueIdleOptions = {},
): Promise<void> {
  await waitUntil(
    () => busyJobs(ctx.database, options),
    (busy) => busy.length === 0,
    { timeoutMs: options.timeoutMs ?? 30_000, intervalMs: 50, what: 'an idle queue' },
  );
}
