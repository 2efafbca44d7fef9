// Fault injection for the crash tests. FAILSAFE_CRASH_AT names one point; reaching it kills the
// process with SIGKILL — no finally blocks, no flushed sockets, no graceful shutdown — the way
// an OOM kill or a lost machine would, so a test can restart and see what survived.

/** The places a crash test can stop the process. */
export type CrashPoint =
  /** A Slack Events API delivery is stored, its job not yet queued, Slack not yet answered. */
  | 'event-after-store'
  /**
   * An outbound effect (a Slack post, a page, a flag flip) reached its upstream and is not yet
   * recorded as done. Armed as `effect-performed:<key prefix>` to stop at one kind of effect.
   */
  | 'effect-performed'
  /**
   * A kill-switch ramp step, subject `<index>:<phase>:<operation id>`: phase `unleash` — Unleash
   * has the step's percentage, the database does not; `recorded` — the step is committed, its
   * line not yet posted and the next step not yet scheduled. Armed as `ramp-step:1:recorded`.
   */
  | 'ramp-step'
  /**
   * A kill's verdict (`confirmed` or `unverified`) is recorded, not yet posted nor (unverified)
   * the owner's page queued. Subject `<verdict>:<operation id>`.
   */
  | 'kill-verdict'
  /**
   * Alerts are committed and answered 202, their incident's page not yet queued: only a sweep
   * can find that page. Subject: the ids of the incidents the request opened, comma-separated.
   */
  | 'alerts-committed';

export const CRASH_POINTS: readonly CrashPoint[] = [
  'event-after-store',
  'effect-performed',
  'ramp-step',
  'kill-verdict',
  'alerts-committed',
];

/** Called at each crash point with what it is about (an effect key); a no-op unless armed. */
export type CrashAt = (point: CrashPoint, subject?: string) => void;

export const neverCrash: CrashAt = () => {};

/**
 * What the fault tests change in a process: where it kills itself, and how long a dead
 * process's leases last (FAILSAFE_TEST_LEASE_SECONDS), so that recovery after a SIGKILL takes
 * seconds instead of the minutes production waits before it believes a process is gone.
 */
export interface Faults {
  crashAt: CrashAt;
  /** The longest an effect claim lasts; undefined: each effect's own. */
  leaseCapMs: number | undefined;
}

export const NO_FAULTS: Faults = { crashAt: neverCrash, leaseCapMs: undefined };

/**
 * `point` or `point:prefix`; the prefix limits the crash to subjects starting with it. Throws on
 * an unknown point, so a typo in a test cannot pass by never crashing.
 */
export function armCrashPoint(spec: string | undefined): CrashAt {
  if (!spec) return neverCrash;
  const colon = spec.indexOf(':');
  const name = colon < 0 ? spec : spec.slice(0, colon);
  const prefix = colon < 0 ? '' : spec.slice(colon + 1);
  const armed = CRASH_POINTS.find((p) => p === name);
  if (!armed) throw new Error(`FAILSAFE_CRASH_AT=${spec} is not a crash point (${CRASH_POINTS.join(', ')})`);
  return (point, subject = '') => {
    if (point === armed && subject.startsWith(prefix)) process.kill(process.pid, 'SIGKILL');
  };
}
