// /ai-update: two-sentence stakeholder updates in plain words, checked before they are posted,
// and reminders before (and after) the next one is due.
import type { ViewSubmitAction } from '@slack/bolt';
import type { Capability } from '../../kernel/capability.ts';
import type { IncidentChanged } from '../../kernel/incident-changed.ts';
import type { UpdateDeps } from './deps.ts';
import { UPDATE_VIEW } from './modal.ts';
import { postJobs } from './post.ts';
import { reminderJobs } from './reminders.ts';
import { onUpdateSubmit } from './submit.ts';
import { onUpdateCommand } from './update-command.ts';

export function createStakeholderUpdates(
  options: { incidentChanged?: IncidentChanged } = {},
): Capability<UpdateDeps> {
  const { incidentChanged } = options;
  const withHook = (deps: UpdateDeps): UpdateDeps => (incidentChanged ? { ...deps, incidentChanged } : deps);
  return {
    name: 'stakeholder-updates',
    register(app, appDeps) {
      const deps = withHook(appDeps);
      app.command('/ai-update', (args) => onUpdateCommand(deps, args));
      app.view<ViewSubmitAction>({ callback_id: UPDATE_VIEW, type: 'view_submission' }, (args) =>
        onUpdateSubmit(deps, args),
      );
    },
    jobs: (deps) => [...postJobs(withHook(deps)), ...reminderJobs(withHook(deps))],
  };
}
