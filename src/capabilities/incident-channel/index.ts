// /ai-incident: incident channels, live capture of their messages onto the timeline, backfill.
import type { App } from '@slack/bolt';
import type { AppDeps } from '../../deps.ts';

export function register(_app: App, _deps: AppDeps): void {}
