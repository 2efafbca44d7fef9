// Error budgets for AI quality: POST /signals takes counts of good and bad AI answers, a
// multiwindow multi-burn-rate evaluation pages the owner through the incident path when a
// feature burns its budget fast, the budget policy can freeze restores, /ai-budget shows it
// all and a weekly report posts a chart.

import type { Capability } from '../../kernel/capability.ts';
import type { MeasurementIntake } from '../../kernel/measurement-intake.ts';
import type { RestoreGuard } from '../kill-switch/index.ts';
import { onBudgetCommand } from './command.ts';
import type { BudgetDeps } from './deps.ts';
import { receiveSignals } from './ingest.ts';
import { noticeJobs } from './notice.ts';
import { refuseFrozenRestore, restoreFrozenBecause } from './policy.ts';
import { reportJobs } from './report.ts';
import { createEvaluationArmer, evaluationJobs } from './schedule.ts';

export { evaluateBudgets } from './evaluate.ts';

/** The kill switch's restore guard: restores wait while a freeze or kill policy holds. */
export const budgetRestoreGuard: RestoreGuard = {
  frozenBecause: restoreFrozenBecause,
  refuse: refuseFrozenRestore,
};

/** `measurements`: the quality watch's intake, so POST /signals also takes measurements. */
export function createErrorBudget(
  options: { measurements?: MeasurementIntake } = {},
): Capability<BudgetDeps> {
  return {
    name: 'error-budget',
    register(app, deps) {
      const arm = createEvaluationArmer(deps);
      deps.http.route('POST', '/signals', (req, res, ctx) =>
        receiveSignals(deps, arm, options.measurements, req, res, ctx),
      );
      app.command('/ai-budget', (args) => onBudgetCommand(deps, args));
    },
    jobs: (deps) => [...evaluationJobs(deps), ...noticeJobs(deps), ...reportJobs(deps)],
  };
}
