// Evaluation runs as a chain of deferred jobs, one per time slot: the job id comes from the
// slot, so however many replicas schedule it, each slot is evaluated once. Each run schedules
// the next slot before it works (a failing run never breaks the chain), and every accepted
// signal batch re-arms the chain in case it was never started or was lost.
import { z } from 'zod';
import type { AppDeps } from '../../deps.ts';
import { pruneSignals } from '../../store/signals.ts';
import { evaluateBudgets } from './evaluate.ts';
import { dueReportSlot, REPORT_JOB } from './report-schedule.ts';

export const EVALUATE_JOB = 'budget-evaluate';
const SlotJob = z.object({ slot: z.iso.datetime() });

/** Batch ids are remembered two days; minute rows kept two days; hour rows the longest period + 8 days. */
function retention(deps: AppDeps) {
  const periods = deps.catalog.catalog.features.map((f) => f.slo?.periodSeconds ?? 0);
  return {
    batchesMs: 2 * 86_400_000,
    minutesMs: 2 * 86_400_000,
    hoursMs: (Math.max(0, ...periods) + 8 * 86_400) * 1000,
  };
}

export function everyMs(deps: AppDeps): number {
  return deps.catalog.catalog.defaults.errorBudget.evaluateEverySeconds * 1000;
}

/** The first slot boundary after `now`. */
export function nextSlot(nowMs: number, every: number): number {
  return (Math.floor(nowMs / every) + 1) * every;
}

export async function scheduleEvaluation(deps: AppDeps, slotMs: number): Promise<boolean> {
  const slot = new Date(slotMs).toISOString();
  const delayMs = Math.max(0, slotMs - deps.clock.now().getTime());
  return deps.queue.enqueue(EVALUATE_JOB, `evaluate:${slot}`, { slot }, { delayMs });
}

export function defineEvaluationJob(deps: AppDeps): void {
  deps.queue.define({
    name: EVALUATE_JOB,
    schema: SlotJob,
    maxAttempts: 3,
    backoff: { baseDelayMs: 1_000, maxDelayMs: 10_000 },
    handler: async ({ slot }, ctx) => {
      const every = everyMs(deps);
      if (ctx.attempt === 1)
        await scheduleEvaluation(
          deps,
          nextSlot(Math.max(Date.parse(slot), deps.clock.now().getTime()), every),
        );
      const now = deps.clock.now();
      const started = performance.now();
      const result = await evaluateBudgets(deps, now);
      deps.logger.info(
        {
          slot,
          features: result.features,
          changes: result.changes.length,
          ms: Math.round(performance.now() - started),
        },
        'error budgets evaluated',
      );
      const report = dueReportSlot(deps, now);
      if (report)
        await deps.queue.enqueue(REPORT_JOB, `report:${report.toISOString()}`, {
          slot: report.toISOString(),
        });
      // Once an hour is enough to keep the tables to what the windows need.
      if (Date.parse(slot) % 3_600_000 < every) await pruneSignals(deps.db, now, retention(deps));
    },
  });
}

/** Called after a batch is stored: arms the chain at most once per slot per process. */
export function createEvaluationArmer(deps: AppDeps) {
  let armed = 0;
  return async (): Promise<void> => {
    const slot = nextSlot(deps.clock.now().getTime(), everyMs(deps));
    if (armed === slot) return;
    armed = slot;
    await scheduleEvaluation(deps, slot);
  };
}
