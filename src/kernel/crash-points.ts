// Fault injection for the crash tests. FAILSAFE_CRASH_AT names one point; reaching it kills the
// process with SIGKILL — no finally blocks, no flushed sockets, no graceful shutdown — the way
// an OOM kill or a lost machine would, so a test can restart and see what survived.

/** The places a crash test can stop the process. */
export type CrashPoint =
  /** A Slack Events API delivery is stored, its job not yet queued, Slack not yet answered. */
  'event-after-store';

export const CRASH_POINTS: readonly CrashPoint[] = ['event-after-store'];

/** Called at each crash point; a no-op unless that point was armed at start-up. */
export type CrashAt = (point: CrashPoint) => void;

export const neverCrash: CrashAt = () => {};

/** Throws on an unknown name, so a typo in a test cannot pass by never crashing. */
export function armCrashPoint(name: string | undefined): CrashAt {
  if (!name) return neverCrash;
  const armed = CRASH_POINTS.find((p) => p === name);
  if (!armed) throw new Error(`FAILSAFE_CRASH_AT=${name} is not a crash point (${CRASH_POINTS.join(', ')})`);
  return (point) => {
    if (point === armed) process.kill(process.pid, 'SIGKILL');
  };
}
