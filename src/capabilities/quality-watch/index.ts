// Quality watches: measurements of AI behaviour (hand-off rate, conversation length,
// confidence histograms) arrive with POST /signals; each feature's `watch` block judges them
// against a fixed band, a band learned from the same hour of the week, or the drift of their
// distribution (PSI); a watch that fires pages or notices through the incident path, with the
// replay links; /ai-watch shows where every watch stands.
import type { Capability } from '../../kernel/capability.ts';
import type { MeasurementIntake } from '../../kernel/measurement-intake.ts';
import { onWatchCommand } from './command.ts';
import type { WatchDeps } from './deps.ts';
import { parseMeasurements } from './measurements.ts';
import { noticeJobs } from './notice.ts';
import { createWatchArmer, evaluationJobs } from './schedule.ts';

export { WATCH_SOURCE } from './alert.ts';
export type { WatchDeps } from './deps.ts';
export { evaluateWatches, type WatchEvaluation } from './evaluate.ts';

export interface QualityWatch extends Capability<WatchDeps> {
  /** For POST /signals (the error budget's route): what a measurement is, and what to do after. */
  intake: MeasurementIntake;
}

export function createQualityWatch(): QualityWatch {
  const arm = createWatchArmer();
  return {
    name: 'quality-watch',
    intake: { parse: parseMeasurements, accepted: arm },
    register(app, deps) {
      app.command('/ai-watch', (args) => onWatchCommand(deps, args));
    },
    jobs: (deps) => [...evaluationJobs(deps), ...noticeJobs(deps)],
  };
}
