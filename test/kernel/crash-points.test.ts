// The crash points' guard rails: a misspelt point fails start-up instead of silently never
// crashing, and production refuses FAILSAFE_CRASH_AT. (That an armed point really SIGKILLs the
// process is shown by test/capabilities/incident-channel/event-durability.test.ts.)
import { describe, expect, it } from 'vitest';
import { armCrashPoint, neverCrash } from '../../src/kernel/crash-points.ts';
import { startUp } from '../support/main-process.ts';

describe('crash points', () => {
  it('are off unless one is named, and a name that is no crash point is refused', () => {
    expect(armCrashPoint(undefined)).toBe(neverCrash);
    expect(armCrashPoint('')).toBe(neverCrash);
    expect(() => armCrashPoint('event-after-stor')).toThrow(
      /not a crash point \(event-after-store, effect-performed, ramp-step, kill-verdict, alerts-committed\)/,
    );
  });

  it('are refused in production before anything starts', async () => {
    const outcome = await startUp({ NODE_ENV: 'production', FAILSAFE_CRASH_AT: 'event-after-store' });
    expect(outcome.started).toBe(false);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain('failsafe:');
    expect(outcome.stderr).toContain('FAILSAFE_CRASH_AT');
  });

  it('shortened leases are refused in production, and a lease that is no whole number of seconds anywhere', async () => {
    const production = await startUp({ NODE_ENV: 'production', FAILSAFE_TEST_LEASE_SECONDS: '3' });
    expect(production.started).toBe(false);
    expect(production.stderr).toContain('FAILSAFE_TEST_LEASE_SECONDS is for tests');
    const fractional = await startUp({ FAILSAFE_TEST_LEASE_SECONDS: '0.5' });
    expect(fractional.started).toBe(false);
    expect(fractional.stderr).toContain('FAILSAFE_TEST_LEASE_SECONDS=0.5');
  });
});
