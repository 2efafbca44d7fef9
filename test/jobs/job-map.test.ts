import { describe, expect, it } from 'vitest';
import { JOB_NAMES } from '../../src/jobs/map.ts';
import { useRunningApp } from '../support/harness.ts';
import { waitUntil } from '../support/wait.ts';

const ctx = useRunningApp();

describe('the typed job map', () => {
  it('a stored job whose payload does not parse goes to the dead-letter table, counted on /metrics', async () => {
    // What an older release might have left in the queue: the same job name, another shape.
    const jobId = await ctx.app.deps.queue.boss.send('page', {
      key: 'old-shape',
      attempt: 1,
      data: { incident: 42 },
    });
    const [row] = await waitUntil(
      () => ctx.database.query('SELECT job_id, queue, key, attempt, data, error FROM dead_letter'),
      (rows) => rows.length > 0,
      { what: 'the dead letter' },
    );
    expect(row).toMatchObject({
      job_id: jobId,
      queue: 'page',
      key: 'old-shape',
      attempt: 1,
      data: { incident: 42 },
    });
    expect(String(row?.error)).toContain('incidentId');
    const metrics = await (await fetch(`${ctx.app.url}/metrics`)).text();
    expect(metrics).toContain('failsafe_jobs_dead_lettered_total{queue="page"} 1');
    // Nothing was paged for it.
    expect(await ctx.database.query('SELECT 1 FROM incident')).toHaveLength(0);
  });

  it('enqueue refuses a payload that does not match its schema and stores nothing', async () => {
    const queue = ctx.app.deps.queue;
    await expect(queue.enqueue('page', 'bad', { incidentId: 'not-a-uuid' })).rejects.toThrow(/incidentId/);
    const stored = await ctx.database.query(
      "SELECT 1 FROM pgboss.job WHERE name = 'page' AND data->>'key' = 'bad'",
    );
    expect(stored).toHaveLength(0);
  });

  it('every job in the map has a handler; without Unleash only the kill-switch jobs have none', async () => {
    const depth = await ctx.app.deps.queue.depth();
    const defined = Object.keys(depth).sort();
    const killSwitchJobs = ['flag-kill', 'flag-verify', 'kill-page-owner', 'ramp-step', 'flag-drill'];
    expect(defined).toEqual(JOB_NAMES.filter((n) => !killSwitchJobs.includes(n)).sort());
  });
});
