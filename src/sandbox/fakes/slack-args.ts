// What every fake Web API method shares: its context, Slack's error envelope, and reading the
// channel and message-content arguments the way Slack does.

import { blocksProblem } from './slack-blocks.ts';
import {
  FAKE_BOT,
  type FakeSlackState,
  type MessageMetadata,
  type SlackArgs,
  type SlackBody,
} from './slack-state.ts';
import { addChannel } from './slack-workspace.ts';

export interface MethodContext {
  state: FakeSlackState;
  acceptAnyChannel: boolean;
  nextTs: () => string;
}

export interface FakeMethod {
  /** Slack reads these methods' arguments from the query string or a form body only, never JSON. */
  formOnly?: boolean;
  handle: (args: SlackArgs, ctx: MethodContext) => SlackBody;
}

/** Slack's error envelope; `detail` goes where Slack explains it, in response_metadata.messages. */
export const fail = (error: string, detail?: string): SlackBody => ({
  ok: false,
  error,
  ...(detail ? { response_metadata: { messages: [`[ERROR] ${detail}`] } } : {}),
});
export const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined;

export function resolveChannel(ctx: MethodContext, raw: unknown, allowUserId: boolean): string | undefined {
  const id = str(raw);
  if (!id) return undefined;
  // Posting to a user id lands in the app's DM with that user, as on Slack.
  if (allowUserId && ctx.state.users.some((user) => user.id === id)) return openDm(ctx, id);
  if (ctx.state.channels.has(id)) return id;
  if (ctx.acceptAnyChannel && /^[CDG][A-Z0-9]{2,}$/.test(id)) {
    addChannel(ctx.state, id);
    return id;
  }
  return undefined;
}

export function openDm(ctx: MethodContext, userId: string): string {
  const id = `D${userId}`;
  addChannel(ctx.state, id, { name: id, isPrivate: true, members: [FAKE_BOT.userId, userId] });
  return id;
}

export type Content = {
  text: string | undefined;
  blocks: unknown[] | undefined;
  attachments: unknown[] | undefined;
};

function parseArray(value: unknown, errorCode: string): unknown[] | undefined | { error: string } {
  if (value === undefined || value === '') return undefined;
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return { error: `${errorCode}_format` };
    }
  }
  return Array.isArray(parsed) ? parsed : { error: errorCode };
}

/**
 * chat.postMessage's `metadata`: an object (JSON-encoded in form bodies) with a string
 * `event_type` and an object `event_payload`, else invalid_metadata_format.
 */
export function readMetadata(value: unknown): MessageMetadata | undefined | { error: string } {
  if (value === undefined || value === '') return undefined;
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return { error: 'invalid_metadata_format' };
    }
  }
  const m = parsed as { event_type?: unknown; event_payload?: unknown } | null;
  const payload = m?.event_payload;
  if (
    typeof m?.event_type !== 'string' ||
    !m.event_type ||
    typeof payload !== 'object' ||
    !payload ||
    Array.isArray(payload)
  )
    return { error: 'invalid_metadata_format' };
  return { event_type: m.event_type, event_payload: payload as Record<string, unknown> };
}

/** text/blocks/attachments as Slack validates them: blocks arrive JSON-encoded in form bodies. */
export function readContent(args: SlackArgs): Content | { error: string; detail?: string } {
  const blocks = parseArray(args.blocks, 'invalid_blocks');
  if (blocks && !Array.isArray(blocks)) return blocks;
  const attachments = parseArray(args.attachments, 'invalid_attachments');
  if (attachments && !Array.isArray(attachments)) return attachments;
  const problem = blocks && blocksProblem(blocks, 50);
  if (problem) return { error: 'invalid_blocks', detail: `blocks${problem}` };
  const text = typeof args.text === 'string' ? args.text : undefined;
  if (text !== undefined && text.length > 40_000) return { error: 'msg_too_long' };
  return { text, blocks, attachments };
}

export const hasContent = (c: Content) =>
  Boolean(c.text) || Boolean(c.blocks?.length) || Boolean(c.attachments?.length);
