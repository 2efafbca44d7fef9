// What Slack sends an app's /slack/events: slash commands, block_actions and view_submission
// interactivity, and Events API envelopes, with the fake workspace's team and app ids. The
// sandbox console needs them at run time, so they live here and the tests and benches import
// them (docs.slack.dev: the slash command, block_actions and view_submission payload pages;
// test/contracts/slack/events-api-async-v1.json for the envelope). Fields use Slack's names.
import { randomBytes } from 'node:crypto';
import { FAKE_BOT, FAKE_TEAM } from './fakes/slack-state.ts';

export { eventCallbackBody, newEventId, type SlackEvent } from './slack-events-api.ts';
export {
  type MsClock,
  type PostSignedOptions,
  postSigned,
  type SlackRequestHeaders,
  signedHeaders,
  slackSignature,
} from './slack-signing.ts';

const TOKEN = 'deprecated-verification-token';
const DEFAULT_USER = { id: 'U0JANE', name: 'jane' };
const randomHex = (bytes: number) => randomBytes(bytes).toString('hex');

/** Slack's trigger ids look like `<digits>.<digits>.<hex>`; the fake's views.open reads the first part as ms. */
export const newTriggerId = (now = Date.now()) =>
  `${now}.${Math.floor(Math.random() * 1e10)}.${randomHex(16)}`;

/** An interaction's `action_ts`: seconds and microseconds, like a message ts. */
export const actionTs = (now = Date.now()) =>
  `${Math.floor(now / 1000)}.${String((now % 1000) * 1000).padStart(6, '0')}`;

export interface SlashCommandFields {
  command: string;
  text?: string;
  user_id?: string;
  user_name?: string;
  channel_id?: string;
  /** The channel's name without `#`. */
  channel_name?: string;
  team_id?: string;
  /** Point this at the fake's `controls.responseUrl()` to capture `respond()`. */
  response_url?: string;
  trigger_id?: string;
}

/** The form-encoded body Slack posts for a slash command, fields in Slack's order. */
export function slashCommandBody(fields: SlashCommandFields): string {
  return new URLSearchParams({
    token: TOKEN,
    team_id: fields.team_id ?? FAKE_TEAM.id,
    team_domain: FAKE_TEAM.domain,
    channel_id: fields.channel_id ?? 'C0DEFAULT',
    channel_name: fields.channel_name ?? 'general',
    user_id: fields.user_id ?? DEFAULT_USER.id,
    user_name: fields.user_name ?? DEFAULT_USER.name,
    command: fields.command,
    text: fields.text ?? '',
    api_app_id: FAKE_BOT.appId,
    is_enterprise_install: 'false',
    response_url:
      fields.response_url ?? `https://hooks.slack.com/commands/${FAKE_TEAM.id}/1234567890/${randomHex(12)}`,
    trigger_id: fields.trigger_id ?? newTriggerId(),
  }).toString();
}

export interface BlockActionFields {
  action_id: string;
  value?: string;
  block_id?: string;
  /** Button label as shown; Slack echoes it back. */
  text?: string;
  user_id?: string;
  user_name?: string;
  channel_id?: string;
  /** The message the button sits on (its ts, text and blocks as stored by the fake). */
  message: { ts: string; text?: string; blocks?: unknown[]; user?: string; bot_id?: string };
  response_url?: string;
  trigger_id?: string;
}

/** The interactivity body for a button click: form field `payload` holding the block_actions JSON. */
export function blockActionBody(fields: BlockActionFields): string {
  const channelId = fields.channel_id ?? 'C0ALERTS';
  const payload = {
    type: 'block_actions',
    user: {
      id: fields.user_id ?? DEFAULT_USER.id,
      username: fields.user_name ?? DEFAULT_USER.name,
      team_id: FAKE_TEAM.id,
    },
    api_app_id: FAKE_BOT.appId,
    token: TOKEN,
    container: { type: 'message', message_ts: fields.message.ts, channel_id: channelId, is_ephemeral: false },
    trigger_id: fields.trigger_id ?? newTriggerId(),
    team: { id: FAKE_TEAM.id, domain: FAKE_TEAM.domain },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channelId, name: 'alerts' },
    message: { type: 'message', text: '', ...fields.message },
    state: { values: {} },
    response_url:
      fields.response_url ?? `https://hooks.slack.com/actions/${FAKE_TEAM.id}/1234567890/${randomHex(12)}`,
    actions: [
      {
        action_id: fields.action_id,
        block_id: fields.block_id ?? randomHex(3),
        text: { type: 'plain_text', text: fields.text ?? fields.action_id, emoji: true },
        ...(fields.value !== undefined ? { value: fields.value } : {}),
        type: 'button',
        action_ts: actionTs(),
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** One input's state in a view_submission, in the shape Slack sends for its element type. */
export type ActionValue =
  | { type: 'plain_text_input'; value: string | null }
  | { type: 'timepicker'; selected_time: string | null };
/** block_id → action_id → value: `view.state.values`. */
export type SubmittedValues = Record<string, Record<string, ActionValue>>;

export interface ViewSubmissionFields {
  /** The view as views.open stored it in the fake (id, callback_id, private_metadata …). */
  view: { id: string } & Record<string, unknown>;
  /** block_id → action_id → value; a string is what was typed into a plain_text_input. */
  values?: Record<string, Record<string, string | ActionValue>>;
  user_id?: string;
  user_name?: string;
  trigger_id?: string;
}

const asActionValue = (value: string | ActionValue): ActionValue =>
  typeof value === 'string' ? { type: 'plain_text_input', value } : value;

/** The interactivity body Slack posts when a modal is submitted: form field `payload`. */
export function viewSubmissionBody(fields: ViewSubmissionFields): string {
  const values: SubmittedValues = {};
  for (const [block, actions] of Object.entries(fields.values ?? {})) {
    values[block] = Object.fromEntries(
      Object.entries(actions).map(([action, value]) => [action, asActionValue(value)]),
    );
  }
  const name = fields.user_name ?? DEFAULT_USER.name;
  const payload = {
    type: 'view_submission',
    team: { id: FAKE_TEAM.id, domain: FAKE_TEAM.domain },
    user: { id: fields.user_id ?? DEFAULT_USER.id, username: name, name, team_id: FAKE_TEAM.id },
    api_app_id: FAKE_BOT.appId,
    token: TOKEN,
    trigger_id: fields.trigger_id ?? newTriggerId(),
    view: {
      team_id: FAKE_TEAM.id,
      type: 'modal',
      blocks: [],
      private_metadata: '',
      callback_id: '',
      hash: `${fields.view.id}.hash`,
      app_id: FAKE_BOT.appId,
      bot_id: FAKE_BOT.botId,
      ...fields.view,
      state: { values },
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
