// Kill switches: /ai-kill turns an AI feature's Unleash flag off, proves SDKs see it off,
// restores it with a ramp, rehearses it in drills, and audits every attempt.
// Public API for other capabilities: recordKill (a kill requested by a policy, not a person)
// and audit (the kill-switch audit log).
import type { ViewSubmitAction } from '@slack/bolt';
import type { AppDeps } from '../../deps.ts';
import type { Capability } from '../../kernel/capability.ts';
import type { IncidentChanged } from '../../kernel/incident-changed.ts';
import { type KillDeps, NO_RESTORE_GUARD, type RestoreGuard } from './deps.ts';
import { drillJobs } from './drill.ts';
import { onKillSubmit } from './kill-command.ts';
import { killJobs } from './kill-jobs.ts';
import { KILL_VIEW, RESTORE_NOW_VIEW } from './kill-modal.ts';
import { onKillCommand, onRestoreNowSubmit } from './listeners.ts';
import { rampJobs } from './ramp.ts';
import { onKillFormWithoutUnleash, onKillWithoutUnleash } from './unconfigured.ts';

export { type AuditInput, audit } from './audit.ts';
export type { RestoreGuard } from './deps.ts';
export { type KillRequest, recordKill } from './kill-record.ts';

export function createKillSwitch(
  options: { restoreGuard?: RestoreGuard; incidentChanged?: IncidentChanged } = {},
): Capability<AppDeps> {
  const restoreGuard = options.restoreGuard ?? NO_RESTORE_GUARD;
  const hook = options.incidentChanged ? { incidentChanged: options.incidentChanged } : {};
  /** The Unleash-backed part exists only with Unleash configured: its deps are then non-null. */
  const withUnleash = (deps: AppDeps): KillDeps | null =>
    deps.unleash ? { ...deps, unleash: deps.unleash, restoreGuard, ...hook } : null;
  return {
    name: 'kill-switch',
    register(app, appDeps) {
      const deps = withUnleash(appDeps);
      if (!deps) {
        app.command('/ai-kill', (args) => onKillWithoutUnleash(appDeps, args));
        for (const callback_id of [KILL_VIEW, RESTORE_NOW_VIEW])
          app.view<ViewSubmitAction>({ callback_id, type: 'view_submission' }, onKillFormWithoutUnleash);
        return;
      }
      app.command('/ai-kill', (args) => onKillCommand(deps, args));
      app.view<ViewSubmitAction>({ callback_id: KILL_VIEW, type: 'view_submission' }, (args) =>
        onKillSubmit(deps, args),
      );
      app.view<ViewSubmitAction>({ callback_id: RESTORE_NOW_VIEW, type: 'view_submission' }, (args) =>
        onRestoreNowSubmit(deps, args),
      );
    },
    jobs(appDeps) {
      const deps = withUnleash(appDeps);
      return deps ? [...killJobs(deps), ...rampJobs(deps), ...drillJobs(deps)] : [];
    },
  };
}
