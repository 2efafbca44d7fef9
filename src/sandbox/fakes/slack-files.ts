// files.uploadV2 in the fake Slack, in its three steps: files.getUploadURLExternal hands out
// an upload URL on the fake's own server and a file id, the bytes are POSTed there, and
// files.completeUploadExternal (callable once per file) shares the file in a channel with its
// initial_comment as the message. Argument names follow docs.slack.dev's method pages
// (test/contracts/slack/web-api-openapi-v2.json, a 2021 snapshot, predates these methods).
import type { JsonReply, JsonRequest } from './http-server.ts';
import { type FakeMethod, fail, type MethodContext, resolveChannel, str } from './slack-args.ts';
import {
  FAKE_BOT,
  type FakeMessage,
  type FakeSlackState,
  messagesIn,
  type SlackArgs,
} from './slack-state.ts';

export interface FakeFile {
  id: string;
  filename: string;
  /** The length the app declared in files.getUploadURLExternal. */
  length: number;
  snippetType?: string;
  /** The uploaded bytes as UTF-8 text; null until the upload POST arrives. */
  content: string | null;
  title?: string;
  channel?: string;
  initialComment?: string;
  /** The ts of the message that shared it. */
  messageTs?: string;
  completed: boolean;
}

const UPLOAD_PATH = /^\/upload\/v1\/(F[0-9A-Z]+)$/;
const stores = new WeakMap<FakeSlackState, FakeFile[]>();

/** Every file the app started uploading, oldest first. */
export function filesOf(state: FakeSlackState): FakeFile[] {
  let files = stores.get(state);
  if (!files) {
    files = [];
    stores.set(state, files);
  }
  return files;
}

function getUploadUrl(origin: () => string) {
  return (args: SlackArgs, ctx: MethodContext) => {
    const filename = str(args.filename);
    const length = Number(args.length);
    if (!filename || !Number.isInteger(length) || length <= 0) return fail('invalid_arguments');
    const files = filesOf(ctx.state);
    const id = `F0${String(files.length + 1).padStart(9, '0')}`;
    const snippetType = str(args.snippet_type);
    files.push({
      id,
      filename,
      length,
      content: null,
      completed: false,
      ...(snippetType ? { snippetType } : {}),
    });
    return { ok: true, upload_url: `${origin()}/upload/v1/${id}`, file_id: id };
  };
}

function parseFiles(raw: unknown): Array<{ id: string; title?: string }> | null {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return null;
    }
  }
  if (!Array.isArray(value) || value.length === 0) return null;
  const out: Array<{ id: string; title?: string }> = [];
  for (const item of value) {
    const id = str((item as { id?: unknown } | null)?.id);
    if (!id) return null;
    const title = str((item as { title?: unknown }).title);
    out.push(title ? { id, title } : { id });
  }
  return out;
}

function completeUpload(args: SlackArgs, ctx: MethodContext) {
  const wanted = parseFiles(args.files);
  if (!wanted) return fail('invalid_arguments');
  const files = filesOf(ctx.state);
  const found = wanted.map((w) => ({ w, file: files.find((f) => f.id === w.id) }));
  // An unknown id, bytes never uploaded, or a second completion: Slack discards or refuses these.
  if (found.some(({ file }) => !file || file.content === null || file.completed))
    return fail('file_not_found');
  const channelArg = str(args.channel_id);
  const channel = channelArg ? resolveChannel(ctx, channelArg, false) : undefined;
  if (channelArg && !channel) return fail('channel_not_found');
  if (channel && !ctx.state.members.get(channel)?.has(FAKE_BOT.userId)) return fail('not_in_channel');
  const comment = str(args.initial_comment);
  const shared = found.map(({ w, file }) => {
    const f = file as FakeFile;
    f.completed = true;
    f.title = w.title ?? f.filename;
    if (channel) f.channel = channel;
    if (comment) f.initialComment = comment;
    return f;
  });
  if (channel) {
    const message: FakeMessage & { files: unknown[] } = {
      type: 'message',
      channel,
      ts: ctx.nextTs(),
      text: comment ?? '',
      user: FAKE_BOT.userId,
      bot_id: FAKE_BOT.botId,
      edits: [],
      files: shared.map((f) => ({ id: f.id, name: f.filename, title: f.title })),
    };
    messagesIn(ctx.state, channel).push(message);
    for (const f of shared) f.messageTs = message.ts;
  }
  return {
    ok: true,
    files: shared.map((f) => ({ id: f.id, name: f.filename, title: f.title, size: f.length })),
  };
}

/** The method table; `origin` is the fake server's base URL, known once it listens. */
export function fileMethods(origin: () => string): Record<string, FakeMethod> {
  return {
    'files.getUploadURLExternal': { handle: getUploadUrl(origin) },
    'files.completeUploadExternal': { handle: completeUpload },
  };
}

/** The upload POST itself: Slack answers 200 with "OK - <bytes>" as text. */
export function receiveUpload(state: FakeSlackState, req: JsonRequest): JsonReply | undefined {
  const id = UPLOAD_PATH.exec(req.path)?.[1];
  if (!id || req.method !== 'POST') return undefined;
  const file = filesOf(state).find((f) => f.id === id);
  if (!file || file.completed) return { status: 404, body: 'Not Found' };
  file.content = req.rawBody;
  return { status: 200, body: `OK - ${Buffer.byteLength(req.rawBody)}` };
}
