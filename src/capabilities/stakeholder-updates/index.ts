// /ai-update: two-sentence stakeholder updates in plain words, checked before they are posted,
// and reminders before (and after) the next one is due.
import type { App, ViewSubmitAction } from '@slack/bolt';
import type { AppDeps } from '../../deps.ts';
import { UPDATE_VIEW } from './modal.ts';
import { definePostJob } from './post.ts';
import { defineReminderJob } from './reminders.ts';
import { onUpdateSubmit } from './submit.ts';
import { onUpdateCommand } from './update-command.ts';

export function register(app: App, deps: AppDeps): void {
  app.command('/ai-update', (args) => onUpdateCommand(deps, args));
  app.view<ViewSubmitAction>({ callback_id: UPDATE_VIEW, type: 'view_submission' }, (args) =>
    onUpdateSubmit(deps, args),
  );
  definePostJob(deps);
  defineReminderJob(deps);
}
