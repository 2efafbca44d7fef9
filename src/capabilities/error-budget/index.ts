// Error budgets for AI quality: POST /signals takes counts of good and bad AI answers, a
// multiwindow multi-burn-rate evaluation pages the owner through the incident path when a
// feature burns its budget fast, the budget policy can freeze restores, /ai-budget shows it
// all and a weekly report posts a chart.
import type { App } from '@slack/bolt';
import type { AppDeps } from '../../deps.ts';
import { onBudgetCommand } from './command.ts';
import { receiveSignals } from './ingest.ts';
import { defineReportJob } from './report.ts';
import { createEvaluationArmer, defineEvaluationJob } from './schedule.ts';

export { evaluateBudgets } from './evaluate.ts';
export { refuseFrozenRestore, restoreFrozenBecause } from './policy.ts';

export function register(app: App, deps: AppDeps): void {
  const arm = createEvaluationArmer(deps);
  deps.http.route('POST', '/signals', (req, res, ctx) => receiveSignals(deps, arm, req, res, ctx));
  app.command('/ai-budget', (args) => onBudgetCommand(deps, args));
  defineEvaluationJob(deps);
  defineReportJob(deps);
}
