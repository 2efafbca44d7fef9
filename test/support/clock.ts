// The tests' one clock, handed to the app as its Clock (RuntimeOptions.clock) and to fakes as
// a millisecond clock. It stands still, so a simulation decides exactly when "now" is; or it
// ticks with real time from wherever the test set it. For a running app's deferred jobs
// ("48 hours after resolution") prefer a still clock and passTime (timers.ts): a ticking one
// set a few real seconds before a deadline races the machine's load.
import type { Clock } from '../../src/deps.ts';

export interface TestClock extends Clock {
  /** Moves the clock to `at`; a ticking clock runs on from there. */
  set(at: Date | number): void;
  advance(ms: number): void;
  /** now() in milliseconds since the epoch. */
  readonly ms: number;
}

export function testClock(
  start: Date | number | string = Date.now(),
  { ticking = false }: { ticking?: boolean } = {},
): TestClock {
  let base = new Date(start).getTime();
  let setAt = Date.now();
  const ms = () => base + (ticking ? Date.now() - setAt : 0);
  return {
    now: () => new Date(ms()),
    set: (at) => {
      base = new Date(at).getTime();
      setAt = Date.now();
    },
    advance: (by) => {
      base += by;
    },
    get ms() {
      return ms();
    },
  };
}
