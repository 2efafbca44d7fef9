// A contract-faithful fake of the Slack Web API on a real HTTP server (127.0.0.1, port 0).
// Like Slack it answers HTTP 200 with { ok:false, error } for auth and argument problems,
// 429 + Retry-After when rate limited, and ignores JSON bodies on form-only methods.
import { type JsonReply, type JsonRequest, startJsonServer } from './http-server.ts';
import { type FakeMethod, slackMethods } from './slack-methods.ts';
import {
  createState,
  createTsClock,
  DEFAULT_CHANNELS,
  DEFAULT_USERS,
  type FakeCall,
  type FakeEphemeral,
  type FakeMessage,
  type FakeUser,
  messagesIn,
  parseBody,
  type ResponseUrlPost,
  type SlackArgs,
  type SlackBody,
} from './slack-state.ts';
import { viewMethods } from './slack-views.ts';

export type { FakeCall, FakeEphemeral, FakeMessage, FakeMethod, FakeUser, ResponseUrlPost };
export const FAKE_SLACK_TOKEN = 'xoxb-fake-bot-token';

export interface FakeSlackOptions {
  token?: string;
  users?: FakeUser[];
  channels?: string[];
  /** Accept any C…/D…/G… channel id, not only the listed ones (default true). */
  acceptAnyChannel?: boolean;
  /** chat.postMessage calls allowed per channel in any 1 s window; beyond that, 429. */
  rateLimitPerChannelPerSecond?: number;
  /** Clock for the rate limiter (ms). */
  now?: () => number;
  /** Extra or replacement methods, e.g. conversations.create for one test. */
  methods?: Record<string, FakeMethod>;
}

export interface InjectedFailure {
  /** HTTP status; default 429 when retryAfterSeconds is set, else 200 (Slack's ok:false). */
  status?: number;
  retryAfterSeconds?: number;
  /** Slack error code; default 'ratelimited' for 429, else 'internal_error'. */
  error?: string;
  /** Only fail calls of this method (others pass untouched). */
  method?: string;
  /** Only fail calls whose `channel` argument is this one. */
  channel?: string;
  /** Never answer: the connection stays open until close(), to exercise client timeouts. */
  hang?: boolean;
}

export type FakeSlack = Awaited<ReturnType<typeof startFakeSlack>>;

export async function startFakeSlack(options: FakeSlackOptions = {}) {
  const token = options.token ?? FAKE_SLACK_TOKEN;
  const state = createState(options.users ?? DEFAULT_USERS, options.channels ?? DEFAULT_CHANNELS);
  const methods = { ...slackMethods, ...viewMethods, ...options.methods };
  const ctx = { state, acceptAnyChannel: options.acceptAnyChannel ?? true, nextTs: createTsClock() };
  const now = options.now ?? Date.now;
  const failures: Array<{ remaining: number; failure: InjectedFailure }> = [];
  const postsPerChannel = new Map<string, number[]>();
  const waiters = new Set<() => void>();
  let responseUrls = 0;
  let closing: Promise<void> | undefined;

  function rateLimited(method: string, args: SlackArgs): number | undefined {
    const limit = options.rateLimitPerChannelPerSecond;
    if (limit === undefined || method !== 'chat.postMessage') return undefined;
    const key = String(args.channel);
    const recent = (postsPerChannel.get(key) ?? []).filter((t) => t > now() - 1000);
    postsPerChannel.set(key, recent);
    const oldest = recent[0];
    if (recent.length >= limit && oldest !== undefined)
      return Math.max(1, Math.ceil((oldest + 1000 - now()) / 1000));
    recent.push(now());
    return undefined;
  }

  function takeFailure(method: string, args: SlackArgs): InjectedFailure | undefined {
    const entry = failures.find(
      (f) =>
        f.remaining > 0 &&
        (!f.failure.method || f.failure.method === method) &&
        (!f.failure.channel || f.failure.channel === args.channel),
    );
    if (!entry) return undefined;
    entry.remaining -= 1;
    return entry.failure;
  }

  function reply(
    call: FakeCall,
    status: number,
    body: SlackBody,
    headers?: Record<string, string>,
  ): JsonReply {
    call.response = { status, body };
    return { status, body, headers };
  }

  function handleApi(method: string, req: JsonRequest): JsonReply | Promise<JsonReply> {
    const contentType = req.headers['content-type'] ?? '';
    const args: SlackArgs = Object.fromEntries(req.query);
    const call: FakeCall = { method, args, contentType, receivedAt: now() };
    state.calls.push(call);
    const parsed = parseBody(contentType, req.rawBody);
    const spec = methods[method];
    if (!('error' in parsed) && !(parsed.json && spec?.formOnly)) Object.assign(args, parsed.args);
    const headerToken = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    // Slack only reads a token argument from the query string or a form body, never from JSON.
    const givenToken = headerToken ?? (parsed.json ? undefined : args.token);
    delete args.token;

    const failure = takeFailure(method, args);
    if (failure?.hang) return new Promise<never>(() => {});
    if (failure) {
      const status = failure.status ?? (failure.retryAfterSeconds !== undefined ? 429 : 200);
      const error = failure.error ?? (status === 429 ? 'ratelimited' : 'internal_error');
      const retry =
        failure.retryAfterSeconds !== undefined ? { 'retry-after': String(failure.retryAfterSeconds) } : {};
      return reply(call, status, { ok: false, error }, retry);
    }
    if ('error' in parsed) return reply(call, 200, { ok: false, error: parsed.error });
    if (givenToken === undefined) return reply(call, 200, { ok: false, error: 'not_authed' });
    if (givenToken !== token) return reply(call, 200, { ok: false, error: 'invalid_auth' });
    if (!spec) return reply(call, 200, { ok: false, error: 'unknown_method', req_method: method });
    const retryAfter = rateLimited(method, args);
    if (retryAfter !== undefined) {
      return reply(call, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(retryAfter) });
    }
    const body = spec.handle(args, ctx);
    // Slack warns (but succeeds) when a JSON body does not declare its charset.
    const warn = body.ok && parsed.json && !/charset=/i.test(contentType);
    return reply(call, 200, warn ? { ...body, warning: 'missing_charset' } : body);
  }

  function route(req: JsonRequest): JsonReply | Promise<JsonReply> {
    if (req.path.startsWith('/api/')) return handleApi(decodeURIComponent(req.path.slice(5)), req);
    if (req.path.startsWith('/response-url/') && req.method === 'POST') {
      state.responses.push({ path: req.path, body: req.body, receivedAt: now() });
      return { status: 200, body: { ok: true } };
    }
    return { status: 404, body: { ok: false, error: 'not_found' } };
  }

  const server = await startJsonServer((req) => {
    const result = route(req);
    // Waiters look at state only after it changed; hung requests still record their call.
    queueMicrotask(() => {
      for (const wake of waiters) wake();
    });
    return result;
  });
  const origin = server.url;

  /** Resolves with the first value `find` returns, checking now and after every request. */
  function waitFor<T>(what: string, find: () => T | undefined, timeoutMs = 5000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        const found = find();
        if (found === undefined) return;
        cleanup();
        resolve(found);
      };
      const timer = setTimeout(() => {
        cleanup();
        const seen = state.calls.map((c) => `${c.method}→${c.response?.body.error ?? 'ok'}`).join(', ');
        reject(new Error(`fake Slack: no ${what} within ${timeoutMs} ms; calls so far: ${seen || 'none'}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });
  }

  const allMessages = () => [...state.messages.values()].flat();
  return {
    /** Web API base URL, ending with `/api/` (use as SLACK_API_URL / slackApiUrl). */
    url: `${origin}/api/`,
    token,
    state,
    /** The first call of `method` (already received or future) matching `predicate`, once answered. */
    waitForCall: (method: string, predicate: (call: FakeCall) => boolean = () => true, timeoutMs?: number) =>
      waitFor(
        `${method} call`,
        () => state.calls.find((c) => c.method === method && c.response && predicate(c)),
        timeoutMs,
      ),
    /** The first stored message whose current (edited) content matches `predicate`. */
    waitForMessage: (predicate: (message: FakeMessage) => boolean, timeoutMs?: number) =>
      waitFor('matching message', () => allMessages().find(predicate), timeoutMs),
    waitForEphemeral: (predicate: (message: FakeEphemeral) => boolean, timeoutMs?: number) =>
      waitFor('matching ephemeral message', () => state.ephemeral.find(predicate), timeoutMs),
    waitForResponse: (predicate: (post: ResponseUrlPost) => boolean = () => true, timeoutMs?: number) =>
      waitFor('response_url post', () => state.responses.find(predicate), timeoutMs),
    controls: {
      /** The next `count` matching calls fail this way (in order of registration). */
      failNext(count: number, failure: InjectedFailure = { error: 'internal_error' }): void {
        failures.push({ remaining: count, failure });
      },
      /** A fresh response_url served by this fake; posts land in state.responses. */
      responseUrl: () => `${origin}/response-url/${++responseUrls}`,
      /** A message from a person (not the bot), e.g. to exercise history backfill. */
      seedMessage(channel: string, message: { user: string; text: string; thread_ts?: string }): FakeMessage {
        state.channels.add(channel);
        const stored: FakeMessage = { type: 'message', channel, ts: ctx.nextTs(), edits: [], ...message };
        messagesIn(state, channel).push(stored);
        return stored;
      },
      messagesIn: (channel: string) => messagesIn(state, channel),
    },
    /** Idempotent, so a test may close early and teardown close again. */
    close: () => (closing ??= server.close()),
  };
}
