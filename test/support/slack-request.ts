// Requests as Slack sends them to /slack/events, so tests drive Bolt over real HTTP with
// real signature checks (docs.slack.dev "Verifying requests from Slack"; the slash command
// and block_actions payload reference pages; events-api-async-v1.json for the envelope).
import { createHmac, randomBytes } from 'node:crypto';
import { FAKE_BOT, FAKE_TEAM } from '../../src/sandbox/fakes/slack-state.ts';

export const TEST_SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';
export const TEST_APP_ID = FAKE_BOT.appId;

export interface SlackRequestHeaders {
  'x-slack-signature': string;
  'x-slack-request-timestamp': string;
  'content-type': string;
  [header: string]: string;
}

/** `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}`; content type follows the body's shape. */
export function signSlackRequest(
  signingSecret: string,
  body: string,
  timestampSeconds = Math.floor(Date.now() / 1000),
): SlackRequestHeaders {
  const hmac = createHmac('sha256', signingSecret).update(`v0:${timestampSeconds}:${body}`).digest('hex');
  return {
    'x-slack-signature': `v0=${hmac}`,
    'x-slack-request-timestamp': String(timestampSeconds),
    'content-type': body.startsWith('{') ? 'application/json' : 'application/x-www-form-urlencoded',
  };
}

/** POSTs a signed body to Bolt's endpoint, e.g. `${appUrl}/slack/events`. */
export function sendSlackRequest(
  url: string,
  body: string,
  options: { signingSecret?: string; timestampSeconds?: number; headers?: Record<string, string> } = {},
): Promise<Response> {
  const signed = signSlackRequest(
    options.signingSecret ?? TEST_SIGNING_SECRET,
    body,
    options.timestampSeconds,
  );
  return fetch(url, { method: 'POST', headers: { ...signed, ...options.headers }, body });
}

/** Slack's trigger ids look like `<digits>.<digits>.<hex>`. */
export const triggerId = () =>
  `${Date.now()}.${Math.floor(Math.random() * 1e10)}.${randomBytes(16).toString('hex')}`;

export interface SlashCommandFields {
  command: string;
  text?: string;
  user_id?: string;
  user_name?: string;
  channel_id?: string;
  channel_name?: string;
  team_id?: string;
  /** Point this at `fake.controls.responseUrl()` to capture `respond()`. */
  response_url?: string;
  trigger_id?: string;
}

/** The form-encoded body Slack posts for a slash command, fields in Slack's order. */
export function slashCommandBody(fields: SlashCommandFields): string {
  return new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: fields.team_id ?? FAKE_TEAM.id,
    team_domain: FAKE_TEAM.domain,
    channel_id: fields.channel_id ?? 'C0DEFAULT',
    channel_name: fields.channel_name ?? 'general',
    user_id: fields.user_id ?? 'U0JANE',
    user_name: fields.user_name ?? 'jane',
    command: fields.command,
    text: fields.text ?? '',
    api_app_id: TEST_APP_ID,
    is_enterprise_install: 'false',
    response_url:
      fields.response_url ?? `https://hooks.slack.com/commands/${FAKE_TEAM.id}/1234567890/${randomHex(12)}`,
    trigger_id: fields.trigger_id ?? triggerId(),
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

/** The interactivity body: form field `payload` holding the block_actions JSON. */
export function blockActionBody(fields: BlockActionFields): string {
  const channelId = fields.channel_id ?? 'C0ALERTS';
  const actionTs = `${Math.floor(Date.now() / 1000)}.${String(Date.now() % 1_000_000).padStart(6, '0')}`;
  const payload = {
    type: 'block_actions',
    user: { id: fields.user_id ?? 'U0JANE', username: fields.user_name ?? 'jane', team_id: FAKE_TEAM.id },
    api_app_id: TEST_APP_ID,
    token: 'deprecated-verification-token',
    container: { type: 'message', message_ts: fields.message.ts, channel_id: channelId, is_ephemeral: false },
    trigger_id: fields.trigger_id ?? triggerId(),
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
        action_ts: actionTs,
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** An Events API `event_callback` envelope (JSON) around `event`. */
export function eventCallbackBody(
  event: { type: string } & Record<string, unknown>,
  envelope: { event_id?: string; event_time?: number; team_id?: string } = {},
): string {
  const eventTime = envelope.event_time ?? Math.floor(Date.now() / 1000);
  return JSON.stringify({
    token: 'deprecated-verification-token',
    team_id: envelope.team_id ?? FAKE_TEAM.id,
    api_app_id: TEST_APP_ID,
    event: { event_ts: `${eventTime}.000100`, ...event },
    type: 'event_callback',
    event_id: envelope.event_id ?? `Ev${randomHex(5).toUpperCase()}`,
    event_time: eventTime,
    authorizations: [
      { team_id: FAKE_TEAM.id, user_id: FAKE_BOT.userId, is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
  });
}

const randomHex = (bytes: number) => randomBytes(bytes).toString('hex');

export interface ViewSubmissionFields {
  /** The view as views.open stored it in the fake (id, callback_id, private_metadata …). */
  view: { id: string } & Record<string, unknown>;
  /** block_id → action_id → plain_text_input value. */
  values?: Record<string, Record<string, string>>;
  user_id?: string;
  user_name?: string;
}

/** The interactivity body Slack posts when a modal is submitted (`view_submission`). */
export function viewSubmissionBody(fields: ViewSubmissionFields): string {
  const values: Record<string, Record<string, { type: string; value: string }>> = {};
  for (const [block, actions] of Object.entries(fields.values ?? {})) {
    values[block] = Object.fromEntries(
      Object.entries(actions).map(([action, value]) => [action, { type: 'plain_text_input', value }]),
    );
  }
  const payload = {
    type: 'view_submission',
    team: { id: FAKE_TEAM.id, domain: FAKE_TEAM.domain },
    user: {
      id: fields.user_id ?? 'U0JANE',
      username: fields.user_name ?? 'jane',
      name: fields.user_name ?? 'jane',
      team_id: FAKE_TEAM.id,
    },
    api_app_id: TEST_APP_ID,
    token: 'deprecated-verification-token',
    trigger_id: triggerId(),
    view: {
      team_id: FAKE_TEAM.id,
      type: 'modal',
      blocks: [],
      private_metadata: '',
      callback_id: '',
      hash: `${fields.view.id}.hash`,
      app_id: TEST_APP_ID,
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
