// Time passing for a running app, without waiting for it. The app reads "now" from the test
// clock, but its timers (ack timeouts, reminders, follow-ups, ramp steps) are pg-boss jobs
// whose start_after the database compares with its own now(). A ticking clock set a few real
// seconds before a deadline races the machine: under load the flow that arms the timer can
// take longer than those seconds and arm a later stage instead. So the tests hold the clock
// still and let time pass in one step: the clock moves on and every stored timer comes as much
// nearer, as if that much time had gone by for both.
import type { TestClock } from './clock.ts';
import type { TestDatabase } from './database.ts';
import { type QueueIdleOptions, waitForQueueIdle } from './queue.ts';

/**
 * How far short of a deadline a test stops to see that nothing happened yet. A stored timer
 * also counts the real seconds the test itself took since arming it, so this must be far
 * wider than those, and beyond the idle wait's 25 s "due soon" horizon.
 */
export const SHORT_MS = 2 * 60_000;

/**
 * Lets `ms` pass: waits for the queue to be idle, moves the clock on by `ms` and every waiting
 * job's start_after back by `ms`, then waits for what came due to run. Idle first, because an
 * inline attempt's job waits under its lease (start_after = now + 20 s): moved, it would be
 * delivered a second time while the first attempt still runs.
 */
export async function passTime(
  ctx: { database: TestDatabase },
  clock: TestClock,
  ms: number,
  options: QueueIdleOptions = {},
): Promise<void> {
  await waitForQueueIdle(ctx, options);
  clock.advance(ms);
  await ctx.database.query(
    `UPDATE pgboss.job SET start_after = start_after - make_interval(secs => $1)
      WHERE state IN ('created', 'retry')`,
    [ms / 1000],
  );
  await waitForQueueIdle(ctx, options);
}
