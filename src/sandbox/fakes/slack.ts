// A contract-faithful fake of the Slack Web API on a real HTTP server (127.0.0.1, port 0).
// Like Slack it answers HTTP 200 with { ok:false, error } for auth and argument problems,
// 429 + Retry-After when rate limited, and ignores JSON bodies on form-only methods.
// Events and interactivity go the other way, signed, to controls.setEventTarget's URL.
import { type JsonReply, type JsonRequest, startJsonServer } from './http-server.ts';
import { fail, readContent } from './slack-args.ts';
import { parseBody } from './slack-body.ts';
import { conversationMethods } from './slack-conversations.ts';
import { createDelivery, type DeliveryOptions, type DeliveryResult } from './slack-delivery.ts';
import { createEventControls } from './slack-events.ts';
import { fileMethods, receiveUpload } from './slack-files.ts';
import { historyMethods } from './slack-history.ts';
import { type FakeMethod, slackMethods } from './slack-methods.ts';
import { pinMethods } from './slack-pins.ts';
import {
  createTsClock,
  DEFAULT_CHANNELS,
  DEFAULT_USERS,
  FAKE_BOT_SCOPES,
  type FakeCall,
  type FakeDelivery,
  type FakeEphemeral,
  type FakeMessage,
  type FakeUser,
  messagesIn,
  type ResponseUrlPost,
  type SlackArgs,
  type SlackBody,
} from './slack-state.ts';
import {
  createFailures,
  createRateLimiter,
  type InjectedFailure,
  type RateLimits,
} from './slack-throttle.ts';
import { viewMethods } from './slack-views.ts';
import { createWaiters } from './slack-waiters.ts';
import { addChannel, createState, type NewChannel } from './slack-workspace.ts';

export type {
  DeliveryResult,
  FakeCall,
  FakeDelivery,
  FakeEphemeral,
  FakeMessage,
  FakeMethod,
  FakeUser,
  InjectedFailure,
  NewChannel,
  ResponseUrlPost,
};
export const FAKE_SLACK_TOKEN = 'xoxb-fake-bot-token';
const RESPONSE_URL_USES = 5;
const RESPONSE_URL_TTL_MS = 30 * 60_000;

export interface FakeSlackOptions {
  token?: string;
  users?: FakeUser[];
  channels?: string[];
  /** Accept any C…/D…/G… channel id, not only the listed ones (default true). */
  acceptAnyChannel?: boolean;
  /**
   * Slack's rate limits (SLACK_RATE_LIMITS is the fake's reading of them), answered with 429 +
   * Retry-After. Off unless given; the tests' shared harness (test/support/harness.ts startFakes)
   * gives them, so every app test runs under them. The sandbox leaves them off: a first run
   * should not wait out a limit nobody is measuring.
   */
  rateLimits?: RateLimits | false;
  /** Clock for the rate limiter (ms). */
  now?: () => number;
  /** Extra or replacement methods, e.g. conversations.create for one test. */
  methods?: Record<string, FakeMethod>;
  /** Wait before event retry 1, 2, 3 (default [0, 100, 200]; Slack's are ≈0, 1 min, 5 min). */
  retryDelaysMs?: readonly number[];
  /** How long the app has to answer an event or interaction (default 3000, Slack's). */
  deliveryTimeoutMs?: number;
  /** Send the app a `message` event (with bot_id) for its own chat.postMessage, as Slack does. */
  echoBotMessages?: boolean;
  /** The bot token's scopes, sent as `x-oauth-scopes` (default FAKE_BOT_SCOPES, the manifest's). */
  scopes?: readonly string[];
}

export type FakeSlack = Awaited<ReturnType<typeof startFakeSlack>>;

export async function startFakeSlack(options: FakeSlackOptions = {}) {
  const token = options.token ?? FAKE_SLACK_TOKEN;
  const state = createState(options.users ?? DEFAULT_USERS, options.channels ?? DEFAULT_CHANNELS);
  const methods = {
    ...slackMethods,
    ...conversationMethods,
    ...historyMethods,
    ...pinMethods,
    ...viewMethods,
    ...fileMethods(() => origin),
    ...options.methods,
  };
  const now = options.now ?? Date.now;
  const ctx = { state, acceptAnyChannel: options.acceptAnyChannel ?? true, nextTs: createTsClock(now) };
  const failures = createFailures();
  const rateLimited = createRateLimiter(options.rateLimits || undefined, now);
  const waiters = createWaiters(() => {
    const calls = state.calls.map((c) => `${c.method}→${c.response?.body.error ?? 'ok'}`).join(', ');
    const sent = state.deliveries.map((d) => `${d.type}#${d.attempt}→${d.status}`).join(', ');
    return `calls so far: ${calls || 'none'}${sent ? `; deliveries: ${sent}` : ''}`;
  });
  const deliveryOptions: DeliveryOptions = {};
  if (options.retryDelaysMs) deliveryOptions.retryDelaysMs = options.retryDelaysMs;
  if (options.deliveryTimeoutMs !== undefined) deliveryOptions.timeoutMs = options.deliveryTimeoutMs;
  const delivery = createDelivery(state, deliveryOptions, waiters.notify);
  let responseUrls = 0;
  let scopes = options.scopes ?? FAKE_BOT_SCOPES;
  let closing: Promise<void> | undefined;

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

    const failure = failures.take(method, args);
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
    if (options.echoBotMessages && method === 'chat.postMessage' && body.ok) {
      void botPosted(String(body.channel), String(body.ts)).catch(() => undefined);
    }
    // Slack warns (but succeeds) when a JSON body does not declare its charset.
    const warn = body.ok && parsed.json && !/charset=/i.test(contentType);
    const granted = { 'x-oauth-scopes': scopes.join(',') };
    return reply(call, 200, warn ? { ...body, warning: 'missing_charset' } : body, granted);
  }

  /**
   * A response_url takes at most 5 posts within 30 minutes of being issued (Slack's
   * interactivity docs); after that it answers 404 used_url / expired_url.
   */
  function respond(req: JsonRequest): JsonReply {
    const issued = responseUrlsIssued.get(req.path);
    if (!issued) return { status: 404, body: { ok: false, error: 'no_active_hooks' } };
    if (now() - issued.at > RESPONSE_URL_TTL_MS)
      return { status: 404, body: { ok: false, error: 'expired_url' } };
    if (issued.uses >= RESPONSE_URL_USES) return { status: 404, body: { ok: false, error: 'used_url' } };
    const content = readContent((req.body ?? {}) as SlackArgs);
    if ('error' in content) return { status: 400, body: fail(content.error, content.detail) };
    issued.uses += 1;
    state.responses.push({ path: req.path, body: req.body, receivedAt: now() });
    return { status: 200, body: { ok: true } };
  }

  function route(req: JsonRequest): JsonReply | Promise<JsonReply> {
    if (req.path.startsWith('/api/')) return handleApi(decodeURIComponent(req.path.slice(5)), req);
    if (req.path.startsWith('/upload/'))
      return receiveUpload(state, req) ?? { status: 404, body: 'Not Found' };
    if (req.path.startsWith('/response-url/') && req.method === 'POST') return respond(req);
    return { status: 404, body: { ok: false, error: 'not_found' } };
  }

  const server = await startJsonServer((req) => {
    const result = route(req);
    // Waiters look at state only after it changed; hung requests still record their call.
    queueMicrotask(waiters.notify);
    return result;
  });
  const origin = server.url;
  const responseUrlsIssued = new Map<string, { at: number; uses: number }>();
  const responseUrl = () => {
    const path = `/response-url/${++responseUrls}`;
    responseUrlsIssued.set(path, { at: now(), uses: 0 });
    return `${origin}${path}`;
  };
  const { botPosted, ...eventControls } = createEventControls({
    state,
    nextTs: ctx.nextTs,
    delivery,
    responseUrl,
  });

  const allMessages = () => [...state.messages.values()].flat();
  return {
    /** Web API base URL, ending with `/api/` (use as SLACK_API_URL / slackApiUrl). */
    url: `${origin}/api/`,
    token,
    state,
    /** The first call of `method` (already received or future) matching `predicate`, once answered. */
    waitForCall: (method: string, predicate: (call: FakeCall) => boolean = () => true, timeoutMs?: number) =>
      waiters.waitFor(
        `${method} call`,
        () => state.calls.find((c) => c.method === method && c.response && predicate(c)),
        timeoutMs,
      ),
    /** The first stored message whose current (edited) content matches `predicate`. */
    waitForMessage: (predicate: (message: FakeMessage) => boolean, timeoutMs?: number) =>
      waiters.waitFor('matching message', () => allMessages().find(predicate), timeoutMs),
    waitForEphemeral: (predicate: (message: FakeEphemeral) => boolean, timeoutMs?: number) =>
      waiters.waitFor('matching ephemeral message', () => state.ephemeral.find(predicate), timeoutMs),
    waitForResponse: (predicate: (post: ResponseUrlPost) => boolean = () => true, timeoutMs?: number) =>
      waiters.waitFor('response_url post', () => state.responses.find(predicate), timeoutMs),
    /** The first recorded delivery attempt (event or interaction) matching `predicate`. */
    waitForDelivery: (predicate: (delivery: FakeDelivery) => boolean = () => true, timeoutMs?: number) =>
      waiters.waitFor('matching delivery', () => state.deliveries.find(predicate), timeoutMs),
    controls: {
      /** The next `count` matching calls fail this way (in order of registration). */
      failNext(count: number, failure: InjectedFailure = { error: 'internal_error' }): void {
        failures.add(count, failure);
      },
      /**
       * Every matching call fails this way until stopFailing(), e.g. a minute of 429s with
       * `{ status: 429, retryAfterSeconds: 1 }` (Slack's Retry-After is about its current window).
       */
      failAll(failure: InjectedFailure): void {
        failures.add(Number.POSITIVE_INFINITY, failure);
      },
      /** Ends failAll and forgets any failNext not yet used up. */
      stopFailing(): void {
        failures.clear();
      },
      /** What the token was granted from now on (sent as `x-oauth-scopes`), e.g. one scope short. */
      setScopes(granted: readonly string[]): void {
        scopes = granted;
      },
      /** A fresh response_url served by this fake; posts land in state.responses. */
      responseUrl,
      /** A message from a person (not the bot) that the app is not told about, e.g. for history backfill. */
      seedMessage(channel: string, message: { user: string; text: string; thread_ts?: string }): FakeMessage {
        addChannel(state, channel);
        const stored: FakeMessage = { type: 'message', channel, ts: ctx.nextTs(), edits: [], ...message };
        messagesIn(state, channel).push(stored);
        return stored;
      },
      messagesIn: (channel: string) => messagesIn(state, channel),
      /** A channel made outside the app (default: public, named after the id, only the bot in it). */
      addChannel: (id: string, init?: NewChannel) => addChannel(state, id, init),
      ...eventControls,
    },
    /** Idempotent, so a test may close early and teardown close again. */
    close: () => {
      delivery.stop();
      closing ??= server.close();
      return closing;
    },
  };
}
