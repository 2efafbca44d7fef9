// The console's stand-in for the Slack client: type /ai-kill, /ai-oncall, /ai-incident or
// /ai-update as one of the fake workspace's people in one of its channels, and submit the
// modals the app opens. Each becomes the signed request
// Slack itself would send to the running app's /slack/events.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { readBody } from '../http/io.ts';
import type { Router } from '../http/router.ts';
import { channelName, knownChannels } from './channels.ts';
import type { FakeSlack } from './fakes/slack.ts';
import type { FakeUser, FakeView } from './fakes/slack-state.ts';
import { fieldName, readModal, submittedValues } from './modal-view.ts';
import { consolePost } from './origin.ts';
import { newTriggerId, postSigned, slashCommandBody, viewSubmissionBody } from './slack-requests.ts';

export const CONSOLE_COMMANDS = [
  '/ai-kill',
  '/ai-oncall',
  '/ai-incident',
  '/ai-update',
  '/ai-postmortem',
  '/ai-budget',
  '/ai-watch',
];
const FORM_LIMIT_BYTES = 16 * 1024;
/** How long a command waits for its reply or modal before the page is shown again. */
const REPLY_WAIT_MS = 3_000;

export interface SentCommand {
  user: FakeUser;
  command: string;
  text: string;
  responsePath: string;
  triggerId: string;
  channelId: string;
  /** A button click (action-routes.ts), not a typed command: `command` is the button's label. */
  clicked?: true;
}

export interface ConsoleState {
  /** The person the form is typing as; the fake's first person until another is picked. */
  userId: string;
  /** The channel the form types in; the catalog's first until another is picked. */
  channelId: string;
  commands: SentCommand[];
  /** Views submitted or cancelled: no longer shown. */
  closed: Set<string>;
  /** block_id → message, from an `errors` answer to a submission. */
  viewErrors: Map<string, Record<string, string>>;
  /** field name → what was typed, kept with an `errors` answer: Slack keeps the input, so must we. */
  viewValues: Map<string, Record<string, string>>;
  /** The last problem to show above the form, e.g. an unknown command. */
  notice: string | null;
}

export interface ConsoleDeps {
  slack: FakeSlack;
  signingSecret: string;
  /** The running app, e.g. `http://127.0.0.1:3000`. */
  appUrl: string;
  /** The catalog's channels (alerts first), offered besides every channel the fake knows. */
  catalogChannels: readonly string[];
}

const CommandForm = z.object({
  user: z.string().max(64),
  channel: z.string().max(64).optional(),
  command: z.string().max(3000),
});
const ErrorsAnswer = z.object({
  response_action: z.literal('errors'),
  errors: z.record(z.string(), z.string()),
});

export function createConsoleState(users: FakeUser[], channelId: string): ConsoleState {
  const first = users.find((u) => !u.isBot && !u.deleted);
  return {
    userId: first?.id ?? '',
    channelId,
    commands: [],
    closed: new Set(),
    viewErrors: new Map(),
    viewValues: new Map(),
    notice: null,
  };
}

/** Views the app opened that are still on screen, newest first. */
export function openViews(slack: FakeSlack, state: ConsoleState): FakeView[] {
  return slack.state.views.filter((v) => !state.closed.has(v.id)).reverse();
}

export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new URLSearchParams((await readBody(req, FORM_LIMIT_BYTES)).toString('utf8'));
}

export function backToConsole(res: ServerResponse): void {
  res.writeHead(303, { location: '/sandbox' });
  res.end();
}

/** POSTs a signed body to the app; a network failure comes back as a status-0 answer. */
export async function postToApp(deps: ConsoleDeps, body: string): Promise<{ status: number; text: string }> {
  const url = `${deps.appUrl}/slack/events`;
  try {
    const res = await postSigned(url, body, { signingSecret: deps.signingSecret });
    return { status: res.status, text: await res.text() };
  } catch (error) {
    return { status: 0, text: `POST ${url} failed: ${(error as Error).message}` };
  }
}

/** Resolves once the command was answered (a reply, a modal, a post in its channel) or after a while. */
async function answered(slack: FakeSlack, sent: SentCommand, sentAt: number): Promise<void> {
  const reply = slack.waitForResponse((r) => r.path === sent.responsePath, REPLY_WAIT_MS);
  const modal = slack.waitForCall('views.open', (c) => c.args.trigger_id === sent.triggerId, REPLY_WAIT_MS);
  const post = slack.waitForCall(
    'chat.postMessage',
    (c) => c.args.channel === sent.channelId && c.receivedAt >= sentAt,
    REPLY_WAIT_MS,
  );
  await Promise.race([reply, modal, post].map((p) => p.catch(() => undefined)));
}

const listed = (items: string[]) => `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;

export async function typeCommand(deps: ConsoleDeps, state: ConsoleState, form: URLSearchParams) {
  const parsed = CommandForm.safeParse(Object.fromEntries(form));
  if (!parsed.success) return 'Pick a person and type a command.';
  const user = deps.slack.state.users.find((u) => u.id === parsed.data.user && !u.isBot && !u.deleted);
  if (!user) return `There is no ${parsed.data.user} in the sandbox's Slack.`;
  state.userId = user.id;
  const channels = knownChannels(deps.slack, deps.catalogChannels);
  const channelId = parsed.data.channel ?? state.channelId;
  if (!channels.some((c) => c.id === channelId)) return `The sandbox's Slack has no channel ${channelId}.`;
  state.channelId = channelId;
  const match = /^\s*(\/\S+)\s*([\s\S]*)$/.exec(parsed.data.command);
  const command = match?.[1] ?? '';
  if (!CONSOLE_COMMANDS.includes(command)) {
    return `The console knows ${listed(CONSOLE_COMMANDS)}, e.g. /ai-kill ai-support-bot hallucinated refunds.`;
  }
  const responseUrl = deps.slack.controls.responseUrl();
  const sent: SentCommand = {
    user,
    command,
    text: (match?.[2] ?? '').trim(),
    responsePath: new URL(responseUrl).pathname,
    triggerId: newTriggerId(),
    channelId,
  };
  state.commands.push(sent);
  const sentAt = Date.now();
  const body = slashCommandBody({
    command,
    text: sent.text,
    user_id: user.id,
    user_name: user.name,
    channel_id: channelId,
    channel_name: channelName(deps.slack, channelId),
    response_url: responseUrl,
    trigger_id: sent.triggerId,
  });
  const answer = await postToApp(deps, body);
  if (answer.status !== 200) return `Failsafe answered ${answer.status || 'nothing'}: ${answer.text}`;
  await answered(deps.slack, sent, sentAt);
  return null;
}

export async function submitView(deps: ConsoleDeps, state: ConsoleState, id: string, form: URLSearchParams) {
  const stored = deps.slack.state.views.find((v) => v.id === id);
  const modal = stored ? readModal(stored.view) : null;
  if (!stored || !modal || state.closed.has(id)) return 'That modal is no longer open.';
  if (form.get('action') === 'cancel') {
    state.closed.add(id);
    return null;
  }
  const typedBy = state.commands.find((c) => c.triggerId === stored.triggerId)?.user.id;
  const userId = modal.user ?? typedBy ?? state.userId;
  const user = deps.slack.state.users.find((u) => u.id === userId);
  if (!user) return `There is no ${userId} in the sandbox's Slack.`;
  const body = viewSubmissionBody({
    view: { id, ...stored.view },
    values: submittedValues(modal, form),
    user_id: user.id,
    user_name: user.name,
  });
  const answer = await postToApp(deps, body);
  if (answer.status !== 200) return `Failsafe answered ${answer.status || 'nothing'}: ${answer.text}`;
  const errors = ErrorsAnswer.safeParse(parseJson(answer.text));
  if (errors.success) {
    state.viewErrors.set(id, errors.data.errors);
    state.viewValues.set(
      id,
      Object.fromEntries(modal.inputs.map((i) => [fieldName(i), form.get(fieldName(i)) ?? ''])),
    );
    return null;
  }
  state.viewErrors.delete(id);
  state.viewValues.delete(id);
  state.closed.add(id);
  return null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export function registerConsoleRoutes(router: Router, deps: ConsoleDeps, state: ConsoleState): void {
  consolePost(router, '/sandbox/command', async (req, res) => {
    state.notice = await typeCommand(deps, state, await readForm(req));
    backToConsole(res);
  });
  consolePost(router, '/sandbox/view/:id', async (req, res, ctx) => {
    state.notice = await submitView(deps, state, ctx.params.id ?? '', await readForm(req));
    backToConsole(res);
  });
}
