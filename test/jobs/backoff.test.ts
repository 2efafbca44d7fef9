import { describe, expect, it } from 'vitest';
import { nextDelayMs } from '../../src/jobs/backoff.ts';
import { jobIdFor } from '../../src/jobs/job-id.ts';

const policy = { baseDelayMs: 1_000, maxDelayMs: 60_000 };

describe('nextDelayMs (full jitter)', () => {
  it('draws uniformly below base·2^attempt, capped at the maximum', () => {
    expect(nextDelayMs(1, policy, undefined, () => 0.999)).toBe(1_998);
    expect(nextDelayMs(3, policy, undefined, () => 0.5)).toBe(4_000);
    expect(nextDelayMs(20, policy, undefined, () => 0.999)).toBe(59_940);
    expect(nextDelayMs(5, policy, undefined, () => 0)).toBe(0);
  });

  it('never waits less than the upstream asked for', () => {
    expect(nextDelayMs(1, policy, 30_000, () => 0.1)).toBe(30_000);
    expect(nextDelayMs(8, policy, 1_000, () => 0.9)).toBeGreaterThan(1_000);
  });
});

describe('jobIdFor', () => {
  it('is a stable UUID per queue, key and attempt', () => {
    const id = jobIdFor('page', 'incident-1');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(jobIdFor('page', 'incident-1')).toBe(id);
    expect(jobIdFor('page', 'incident-1', 2)).not.toBe(id);
    expect(jobIdFor('slack-post', 'incident-1')).not.toBe(id);
  });
});
