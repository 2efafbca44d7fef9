// /ai-update: two-sentence stakeholder updates in plain words, checked before they are posted,
// and reminders before (and after) the next one is due.
import type { ViewSubmitAction } from '@slack/bolt';
import type { Capability } from '../../kernel/capability.ts';
import type { UpdateDeps } from './deps.ts';
import { UPDATE_VIEW } from './modal.ts';
import { postJobs } from './post.ts';
import { reminderJobs } from './reminders.ts';
import { onUpdateSubmit } from './submit.ts';
import { onUpdateCommand } from './update-command.ts';

export function createStakeholderUpdates(): Capability<UpdateDeps> {
  return {
    name: 'stakeholder-updates',
    register(app, deps) {
      app.command('/ai-update', (args) => onUpdateCommand(deps, args));
      app.view<ViewSubmitAction>({ callback_id: UPDATE_VIEW, type: 'view_submission' }, (args) =>
        onUpdateSubmit(deps, args),
      );
    },
    jobs: (deps) => [...postJobs(deps), ...reminderJobs(deps)],
  };
}
