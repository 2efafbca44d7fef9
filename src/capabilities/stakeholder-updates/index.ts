// /ai-update: two-sentence stakeholder updates and their reminders.
import type { App } from '@slack/bolt';
import type { AppDeps } from '../../deps.ts';

export function register(_app: App, _deps: AppDeps): void {}
