// Every capability, in the order they register. A new capability is a folder with an index.ts
// that exports its constructor, and a line here. Each runtime builds its own list, so state a
// capability keeps (an interval, a cache) belongs to one runtime, even with two in one process.
// The incident channel's summary refresh is passed to the capabilities whose changes it shows
// (paging, the kill switch, stakeholder updates), which may not import incident-channel; the
// quality watch's measurement intake to the error budget, whose POST /signals carries them.
import type { AppDeps } from '../deps.ts';
import type { Capability } from '../kernel/capability.ts';
import { createAlertIntake } from './alert-intake/index.ts';
import { budgetRestoreGuard, createErrorBudget } from './error-budget/index.ts';
import { createIncidentChannel, requestSummaryRefresh } from './incident-channel/index.ts';
import { createKillSwitch } from './kill-switch/index.ts';
import { createPaging } from './paging/index.ts';
import { createPostmortem } from './postmortem/index.ts';
import { createQualityWatch } from './quality-watch/index.ts';
import { createStakeholderUpdates } from './stakeholder-updates/index.ts';

export interface CapabilityOptions {
  /** How often paging re-queues pages left pending by a crash. */
  sweepIntervalMs?: number;
}

export function createCapabilities(options: CapabilityOptions = {}): Capability<AppDeps>[] {
  // POST /signals is the error budget's route; the quality watch says what a measurement is.
  const qualityWatch = createQualityWatch();
  return [
    createAlertIntake(),
    createPaging({
      ...(options.sweepIntervalMs === undefined ? {} : { sweepIntervalMs: options.sweepIntervalMs }),
      incidentChanged: requestSummaryRefresh,
    }),
    createKillSwitch({ restoreGuard: budgetRestoreGuard, incidentChanged: requestSummaryRefresh }),
    createIncidentChannel(),
    createStakeholderUpdates({ incidentChanged: requestSummaryRefresh }),
    createPostmortem(),
    createErrorBudget({ measurements: qualityWatch.intake }),
    qualityWatch,
  ];
}
