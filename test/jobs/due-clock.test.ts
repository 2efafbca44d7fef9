import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startDueClock } from '../../src/jobs/due-clock.ts';

describe('startDueClock', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("wakes a queue at its job's time, not at the next scan", async () => {
    const woken: [string, number][] = [];
    const asked: number[] = [];
    const t0 = Date.now();
    const clock = startDueClock({
      dueWithin: async (withinMs) => {
        asked.push(withinMs);
        return asked.length === 1 ? [{ name: 'ack-timeout', inMs: 1_200 }] : [];
      },
      wake: (queue) => woken.push([queue, Date.now() - t0]),
      intervalMs: 5_000,
      onError: () => {},
    });
    await vi.advanceTimersByTimeAsync(1_199);
    expect(woken).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(woken).toEqual([['ack-timeout', 1_200]]);
    // It looks past its own next scan, so a job due just after that one is not a scan late.
    expect(asked[0]).toBeGreaterThan(5_000);
    clock.stop();
  });

  it("wakes a queue at each of its jobs' times, once for times a few ms apart", async () => {
    const woken: [string, number][] = [];
    const t0 = Date.now();
    const clock = startDueClock({
      dueWithin: async () => [],
      wake: (queue) => woken.push([queue, Date.now() - t0]),
      intervalMs: 5_000,
      onError: () => {},
    });
    clock.wakeIn('slack-refresh', 3_000);
    clock.wakeIn('slack-refresh', 800);
    clock.wakeIn('slack-refresh', 805);
    clock.wakeIn('slack-refresh', 2_000);
    clock.wakeIn('page', 0);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(woken).toEqual([
      ['page', 0],
      ['slack-refresh', 800],
      ['slack-refresh', 2_000],
      ['slack-refresh', 3_000],
    ]);
    clock.stop();
  });

  it('scans again every interval, says when a scan fails, and stops waking once stopped', async () => {
    let scans = 0;
    const errors: unknown[] = [];
    const woken: string[] = [];
    const clock = startDueClock({
      dueWithin: async () => {
        scans++;
        if (scans === 2) throw new Error('connection refused');
        return [{ name: 'reminder', inMs: 4_000 }];
      },
      wake: (queue) => woken.push(queue),
      intervalMs: 1_000,
      onError: (error) => errors.push(error),
    });
    await vi.advanceTimersByTimeAsync(2_500);
    expect(scans).toBe(3);
    expect(errors).toHaveLength(1);
    clock.stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(scans).toBe(3);
    expect(woken).toEqual([]);
  });
});
