// `npm run bench`: runs every benchmark and prints its figures.
import { benchAlertIntake } from './alert-intake.ts';

const results = { 'alert intake': await benchAlertIntake() };
for (const [name, figures] of Object.entries(results)) {
  console.log(`\n${name}`);
  for (const [k, v] of Object.entries(figures)) console.log(`  ${k.padEnd(32)} ${v}`);
}
