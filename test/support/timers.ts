// Time passing for a running app, without waiting for it. The app reads "now" from the test
// clock, but its timers (ack timeouts, reminders, follow-ups, ramp steps) are pg-boss jobs
// whose start_after the database compares with its own now(). A ticking clock set a few real
// seconds before a deadline races the machine: under load the flow that arms the timer can
// take longer than those seconds and arm a later stage instead. So the tests hold the clock
// still and let time pass in steps: the clock moves on and every stored timer comes as much
// nearer, as if that much time had gone by for both.
import type { TestClock } from './clock.ts';
import type { TestDatabase } from './database.ts';
import { PERIODIC, type QueueIdleOptions, waitForQueueIdle } from './queue.ts';

/**
 * How far short of a deadline a test stops to see that nothing happened yet. A stored timer
 * also counts the real seconds the test itself took since arming it, so this must be far
 * wider than those, and beyond the idle wait's 25 s "due soon" horizon.
 */
export const SHORT_MS = 2 * 60_000;

/**
 * Lets `ms` pass, timer by timer: waits for the queue to be idle, moves the clock and every
 * waiting job's start_after on to the next timer due within what is left, waits for it to run,
 * and so on. One jump over the whole span would make an ack timeout at +5 min and a reminder
 * at +10 min due together, in either order (an escalation then changes whom the reminder
 * DMs). Idle first, because an inline attempt's job waits under its lease (start_after = now
 * + 20 s): moved, it would be delivered a second time while the first attempt still runs.
 * `asleep`: the app slept through the span (a suspended machine), so everything due in it
 * comes due at once, in no particular order, when it wakes.
 */
export async function passTime(
  ctx: { database: TestDatabase },
  clock: TestClock,
  ms: number,
  options: QueueIdleOptions & { asleep?: boolean } = {},
): Promise<void> {
  let left = ms;
  for (;;) {
    await waitForQueueIdle(ctx, options);
    // The next timer of the ones the idle wait counts (the periodic chains are moved along
    // but do not set the pace: a 30 s evaluation would cut an hour into 120 steps).
    const [next] = await ctx.database.query<{ in_ms: number | null }>(
      `SELECT (extract(epoch FROM min(start_after) - now()) * 1000)::float8 AS in_ms
         FROM pgboss.job WHERE state IN ('created', 'retry') AND start_after > now()
          AND ($1::text[] IS NULL OR name = ANY($1::text[]))
          AND ($1::text[] IS NOT NULL OR name <> ALL($2::text[]))`,
      [options.queues ?? null, PERIODIC],
    );
    const step = options.asleep ? left : Math.min(left, next?.in_ms ?? left);
    clock.advance(step);
    await ctx.database.query(
      `UPDATE pgboss.job SET start_after = start_after - make_interval(secs => $1)
        WHERE state IN ('created', 'retry')`,
      [step / 1000],
    );
    left -= step;
    if (left <= 0) break;
  }
  await waitForQueueIdle(ctx, options);
}
