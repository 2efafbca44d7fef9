// What Slack would send to /slack/events when someone types a slash command or submits a
// modal, signed with the app's signing secret (docs.slack.dev "Verifying requests from
// Slack"; the slash command and view_submission payload reference pages).
import { createHmac, randomBytes } from 'node:crypto';
import { FAKE_BOT, FAKE_TEAM, type FakeUser } from './fakes/slack-state.ts';

/** Slack's trigger ids look like `<digits>.<digits>.<hex>`; the fake reads the first part as ms. */
export const newTriggerId = (now = Date.now()) =>
  `${now}.${Math.floor(Math.random() * 1e10)}.${randomBytes(16).toString('hex')}`;

/** Headers for `body`: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{body}`. */
export function signedHeaders(
  signingSecret: string,
  body: string,
  nowMs = Date.now(),
): Record<string, string> {
  const timestamp = Math.floor(nowMs / 1000);
  const hmac = createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex');
  return {
    'x-slack-signature': `v0=${hmac}`,
    'x-slack-request-timestamp': String(timestamp),
    'content-type': 'application/x-www-form-urlencoded',
  };
}

export interface SlashCommand {
  command: string;
  text: string;
  user: FakeUser;
  channelId: string;
  /** The channel's name without `#`, as Slack sends it in channel_name. */
  channelName: string;
  responseUrl: string;
  triggerId: string;
}

/** The form-encoded body Slack posts for a slash command, fields in Slack's order. */
export function slashCommandBody(c: SlashCommand): string {
  return new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: FAKE_TEAM.id,
    team_domain: FAKE_TEAM.domain,
    channel_id: c.channelId,
    channel_name: c.channelName,
    user_id: c.user.id,
    user_name: c.user.name,
    command: c.command,
    text: c.text,
    api_app_id: FAKE_BOT.appId,
    is_enterprise_install: 'false',
    response_url: c.responseUrl,
    trigger_id: c.triggerId,
  }).toString();
}

/** One input's state in a view_submission, in the shape Slack sends for its element type. */
export type ActionValue =
  | { type: 'plain_text_input'; value: string | null }
  | { type: 'timepicker'; selected_time: string | null };
/** block_id → action_id → value: `view.state.values`. */
export type SubmittedValues = Record<string, Record<string, ActionValue>>;

export interface ViewSubmission {
  /** The view as views.open stored it in the fake, with its id. */
  view: { id: string } & Record<string, unknown>;
  values: SubmittedValues;
  user: FakeUser;
  triggerId: string;
}

/** The interactivity body Slack posts when a modal is submitted: form field `payload`. */
export function viewSubmissionBody(s: ViewSubmission): string {
  const user = { id: s.user.id, username: s.user.name, name: s.user.name, team_id: FAKE_TEAM.id };
  const payload = {
    type: 'view_submission',
    team: { id: FAKE_TEAM.id, domain: FAKE_TEAM.domain },
    user,
    api_app_id: FAKE_BOT.appId,
    token: 'deprecated-verification-token',
    trigger_id: s.triggerId,
    view: {
      team_id: FAKE_TEAM.id,
      type: 'modal',
      blocks: [],
      private_metadata: '',
      callback_id: '',
      hash: `${s.view.id}.hash`,
      app_id: FAKE_BOT.appId,
      bot_id: FAKE_BOT.botId,
      ...s.view,
      state: { values: s.values },
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
