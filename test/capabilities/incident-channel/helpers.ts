// Driving /ai-incident over signed HTTP, as Slack does.
import { expect } from 'vitest';
import type { RunningApp } from '../../support/harness.ts';
import { sendSlackRequest, slashCommandBody } from '../../support/slack-request.ts';

/** Types `/ai-incident <text>` as `user` in `channel`; returns the response_url Failsafe answers on. */
export async function incidentCommand(app: RunningApp, text: string, user: string, channel = 'C0ALERTS') {
  const responseUrl = app.fakes.slack.controls.responseUrl();
  const res = await sendSlackRequest(
    `${app.app.url}/slack/events`,
    slashCommandBody({
      command: '/ai-incident',
      text,
      user_id: user,
      channel_id: channel,
      response_url: responseUrl,
    }),
  );
  expect(res.status).toBe(200);
  return responseUrl;
}
