// Driving /ai-incident over signed HTTP, as Slack does.
import type { RunningApp } from '../../support/harness.ts';
import { sendCommand } from '../../support/slack.ts';

/** Types `/ai-incident <text>` as `user` in `channel`; returns the path of the response_url Failsafe answers on. */
export const incidentCommand = (app: RunningApp, text: string, user: string, channel = 'C0ALERTS') =>
  sendCommand(app, '/ai-incident', text, { user, channel });
