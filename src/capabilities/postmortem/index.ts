// Registered in app.ts; built in its own issue.
import type { App } from '@slack/bolt';
import type { AppDeps } from '../../deps.ts';

export function register(_app: App, _deps: AppDeps): void {}
