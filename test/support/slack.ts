// Driving a running app the way a person in Slack does — typing a slash command, reading the
// ephemeral reply, submitting the modal it opened — and reading what it posted, through the
// fake Slack. One copy for every capability's tests, over signed HTTP.
import { expect } from 'vitest';
import type { FakeSlack } from '../../src/sandbox/fakes/slack.ts';
import type { FakeView, ResponseUrlPost } from '../../src/sandbox/fakes/slack-state.ts';
import type { ActionValue } from '../../src/sandbox/slack-requests.ts';
import { sendSlackRequest, slashCommandBody, viewSubmissionBody } from './slack-request.ts';
import { waitUntil } from './wait.ts';

/** The fakes, as useRunningApp and useReplicas hold them. */
export interface WithFakeSlack {
  readonly fakes: { readonly slack: FakeSlack };
}

/** A running app and its fake Slack; useRunningApp's shape fits. */
export interface SlackEnv extends WithFakeSlack {
  readonly app: { readonly url: string };
}

export interface CommandOptions {
  /** Who types it; Jane Doe by default. */
  user?: string;
  /** Where it is typed; the alerts channel by default. */
  channel?: string;
}

/** Types `command text`; once Bolt acknowledged it (HTTP 200), the path of its response_url. */
export async function sendCommand(
  env: SlackEnv,
  command: string,
  text: string,
  { user = 'U0JANE', channel = 'C0ALERTS' }: CommandOptions = {},
): Promise<string> {
  const responseUrl = env.fakes.slack.controls.responseUrl();
  const body = slashCommandBody({
    command,
    text,
    user_id: user,
    channel_id: channel,
    response_url: responseUrl,
  });
  const res = await sendSlackRequest(`${env.app.url}/slack/events`, body);
  expect(res.status).toBe(200);
  return new URL(responseUrl).pathname;
}

/** Types the command and waits for what the app posts to its response_url. */
export async function commandReply(
  env: SlackEnv,
  command: string,
  text: string,
  options: CommandOptions & { timeoutMs?: number } = {},
): Promise<ResponseUrlPost> {
  const path = await sendCommand(env, command, text, options);
  return env.fakes.slack.waitForResponse((r) => r.path === path, options.timeoutMs);
}

/** The text of a response_url post (an ephemeral reply). */
export const replyText = (reply: ResponseUrlPost | undefined): string =>
  String((reply?.body as { text?: string } | undefined)?.text);

/** For commands that answer with a modal or a reply: the reply's text, or null when a modal opened. */
export async function commandReplyOrModal(
  env: SlackEnv,
  command: string,
  text: string,
  options: CommandOptions = {},
): Promise<string | null> {
  const { state } = env.fakes.slack;
  const views = state.views.length;
  const path = await sendCommand(env, command, text, options);
  const outcome = await waitUntil(
    async () => ({ reply: state.responses.find((r) => r.path === path), view: state.views[views] }),
    (o) => o.reply !== undefined || o.view !== undefined,
    { timeoutMs: 15_000, what: `${command} to answer` },
  );
  return outcome.view ? null : replyText(outcome.reply);
}

/** The modal the app opened last. */
export function lastView(env: WithFakeSlack): FakeView {
  const view = env.fakes.slack.state.views.at(-1);
  if (!view) throw new Error('no modal was opened');
  return view;
}

/** Submits the modal `view` as `user` (block_id → action_id → value); Bolt's HTTP answer. */
export function submitView(
  env: SlackEnv,
  view: FakeView,
  values: Record<string, Record<string, string | ActionValue>>,
  user = 'U0JANE',
): Promise<Response> {
  const body = viewSubmissionBody({ view: { id: view.id, ...view.view }, values, user_id: user });
  return sendSlackRequest(`${env.app.url}/slack/events`, body);
}

/** The messages in `channel` whose text contains `includes`. */
export const postsIn = (env: WithFakeSlack, channel: string, includes: string) =>
  env.fakes.slack.controls.messagesIn(channel).filter((m) => m.text.includes(includes));
