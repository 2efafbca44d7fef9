// `npm run bench`: runs every benchmark and prints its figures.
import { benchAlertIntake } from './alert-intake.ts';
import { benchAlertmanagerRatio } from './alertmanager-ratio.ts';
import { benchErrorBudget } from './error-budget.ts';
import { benchKillSwitch } from './kill-switch.ts';
import { benchLean } from './lean.ts';
import { benchPostmortem } from './postmortem.ts';

// BENCH_ONLY=kill (or intake) runs one of them.
const only = process.env.BENCH_ONLY;
const results: Record<string, Record<string, number>> = {};
if (!only || only === 'intake') results['alert intake'] = await benchAlertIntake();
if (!only || only === 'ratio') results['intake vs Alertmanager'] = await benchAlertmanagerRatio();
if (!only || only === 'lean') results['at rest'] = await benchLean();
if (!only || only === 'kill') results['kill switch'] = await benchKillSwitch();
if (!only || only === 'postmortem') results.postmortem = await benchPostmortem();
if (!only || only === 'budget') results['error budget'] = await benchErrorBudget();
for (const [name, figures] of Object.entries(results)) {
  console.log(`\n${name}`);
  for (const [k, v] of Object.entries(figures)) console.log(`  ${k.padEnd(32)} ${v}`);
}
