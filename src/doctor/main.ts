// The doctor's composition root, like main.ts for the server: the only reader of process.env
// here. Exit 0 only when every check passes.
import { formatReport, runDoctor } from './index.ts';

const report = await runDoctor(process.env);
process.stdout.write(formatReport(report));
process.exit(report.ok ? 0 : 1);
