// Evaluation runs as a chain of deferred jobs, one per time slot: the job id comes from the
// slot, so however many replicas schedule it, each slot is evaluated once. Each run schedules
// the next slot before it works (a failing run never breaks the chain), and every accepted
// signal batch re-arms the chain in case it was never started or was lost.

import type { JobDefinition } from '../../jobs/types.ts';
import { pruneSignals } from '../../store/signals.ts';
import type { BudgetDeps } from './deps.ts';
import { evaluateBudgets } from './evaluate.ts';
import { dueReportSlot } from './report-schedule.ts';

/** Batch ids are remembered two days; minute rows kept two days; hour rows the longest period + 8 days. */
function retention(deps: BudgetDeps) {
  const periods = deps.catalog.catalog.features.map((f) => f.slo?.periodSeconds ?? 0);
  return {
    batchesMs: 2 * 86_400_000,
    minutesMs: 2 * 86_400_000,
    hoursMs: (Math.max(0, ...periods) + 8 * 86_400) * 1000,
  };
}

export function everyMs(deps: BudgetDeps): number {
  return deps.catalog.catalog.defaults.errorBudget.evaluateEverySeconds * 1000;
}

/** The first slot boundary after `now`. */
export function nextSlot(nowMs: number, every: number): number {
  return (Math.floor(nowMs / every) + 1) * every;
}

export async function scheduleEvaluation(deps: BudgetDeps, slotMs: number): Promise<boolean> {
  const slot = new Date(slotMs).toISOString();
  const delayMs = Math.max(0, slotMs - deps.clock.now().getTime());
  return deps.queue.enqueue('budget-evaluate', `evaluate:${slot}`, { slot }, { delayMs });
}

export function evaluationJobs(deps: BudgetDeps): JobDefinition[] {
  return [
    {
      name: 'budget-evaluate',
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
          await deps.queue.enqueue('budget-report', `report:${report.toISOString()}`, {
            slot: report.toISOString(),
          });
        // Once an hour is enough to keep the tables to what the windows need.
        if (Date.parse(slot) % 3_600_000 < every) await pruneSignals(deps.db, now, retention(deps));
      },
    },
  ];
}

/** Called after a batch is stored: arms the chain at most once per slot per process. */
export function createEvaluationArmer(deps: BudgetDeps) {
  let armed = 0;
  return async (): Promise<void> => {
    const slot = nextSlot(deps.clock.now().getTime(), everyMs(deps));
    if (armed === slot) return;
    armed = slot;
    await scheduleEvaluation(deps, slot);
  };
}
