// A thin fetch client for the Slack Web API calls our durable queue makes. Bolt's own
// WebClient retries and waits out 429s internally, which would hide rate limits and outages
// from the queue; this client makes one attempt and classifies the failure instead.
import type { types } from '@slack/bolt';
import { z } from 'zod';
import {
  type ClientOptions,
  classifyStatus,
  type FailureKind,
  fetchWithTimeout,
  joinUrl,
  retryAfterMs,
} from './http.ts';
import { channelMethods } from './slack-channels.ts';
import { effectMetadata, effectMethods } from './slack-effects.ts';
import { SlackApiError } from './slack-error.ts';
import { fileMethods } from './slack-files.ts';
import { respondVia } from './slack-respond.ts';

export type SlackBlock = types.KnownBlock | types.Block;

export interface SlackUser {
  id: string;
  name: string;
  realName?: string;
  email?: string;
  tz?: string;
}

export { SlackApiError } from './slack-error.ts';

export interface SlackIdentity {
  userId: string;
  user: string;
  teamId: string;
  team: string;
  /** Set for a bot token (xoxb-); a user token has none. */
  botId?: string;
  scopes: string[] | null;
}

// Token, scope and permission problems: a human has to fix the app's configuration.
const CONFIG_ERRORS = new Set([
  'not_authed',
  'invalid_auth',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'no_permission',
  'missing_scope',
  'not_allowed_token_type',
  'not_in_channel',
  'restricted_action',
  'ekm_access_denied',
  'org_login_required',
  'access_denied',
  'team_access_not_granted',
]);
// Slack's documented transient failures, plus the workspace-migration window.
const RETRYABLE_ERRORS = new Set([
  'ratelimited',
  'rate_limited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'team_added_to_org',
]);

export function classifySlackError(code: string): FailureKind {
  if (CONFIG_ERRORS.has(code)) return 'config';
  if (RETRYABLE_ERRORS.has(code)) return 'retryable';
  return 'invalid';
}

const envelope = z.looseObject({
  ok: z.boolean(),
  error: z.string().optional(),
  needed: z.string().optional(),
});
const identity = z.object({
  user_id: z.string(),
  user: z.string(),
  team_id: z.string(),
  team: z.string(),
  bot_id: z.string().optional(),
});
const posted = z.object({ channel: z.string(), ts: z.string() });
const apiUser = z.object({
  id: z.string(),
  name: z.string(),
  real_name: z.string().optional(),
  tz: z.string().optional(),
  profile: z.object({ real_name: z.string().optional(), email: z.string().optional() }).optional(),
});

function toUser(user: z.infer<typeof apiUser>): SlackUser {
  const realName = user.real_name ?? user.profile?.real_name;
  const email = user.profile?.email;
  return {
    id: user.id,
    name: user.name,
    ...(realName ? { realName } : {}),
    ...(email ? { email } : {}),
    ...(user.tz ? { tz: user.tz } : {}),
  };
}

export type { Args, Encoding, SlackCall } from './slack-call.ts';

import type { Args, Encoding } from './slack-call.ts';

export type SlackApi = ReturnType<typeof createSlackApi>;

export interface PostArgs {
  channel: string;
  text: string;
  /** Names what this message is (an effect key): every message we post carries one. */
  effectKey: string;
  blocks?: readonly SlackBlock[] | undefined;
  thread_ts?: string | undefined;
  unfurl_links?: boolean | undefined;
}

export function createSlackApi(opts: ClientOptions) {
  const fetchImpl = opts.fetch ?? globalThis.fetch;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const dmChannels = new Map<string, string>();

  /** One attempt; the answer's headers too, for what Slack says only there (x-oauth-scopes). */
  async function send<T>(
    method: string,
    args: Args,
    schema: z.ZodType<T>,
    encoding: Encoding,
  ): Promise<{ data: T; headers: Headers }> {
    const url = joinUrl(opts.baseUrl, method);
    const defined = Object.entries(args).filter(([, value]) => value !== undefined);
    const body =
      encoding === 'json'
        ? JSON.stringify(Object.fromEntries(defined))
        : new URLSearchParams(
            defined.map(([key, value]): [string, string] => [
              key,
              typeof value === 'object' ? JSON.stringify(value) : String(value),
            ]),
          ).toString();
    const headers = {
      authorization: `Bearer ${opts.token ?? ''}`,
      'content-type':
        encoding === 'json' ? 'application/json; charset=utf-8' : 'application/x-www-form-urlencoded',
    };
    const response = await fetchWithTimeout(
      'slack',
      fetchImpl,
      url,
      { method: 'POST', headers, body },
      timeoutMs,
    );
    const wait = retryAfterMs(response.headers);
    // The deadline also covers the body: a stalled body is as retryable as no answer at all.
    const text = await response.text().catch((error: unknown) => {
      throw new SlackApiError(method, url, 'retryable', response.status, undefined, String(error), wait);
    });
    const parsed = envelope.safeParse(parseJson(text));
    const code = parsed.success ? parsed.data.error : undefined;
    // A Slack-level failure arrives as HTTP 200; reporting "failed with 200" would only confuse.
    const status = response.ok ? undefined : response.status;
    const fail = (kind: FailureKind, detail: string) =>
      new SlackApiError(method, url, kind, status, code, detail, wait);

    if (response.status === 429) throw fail('retryable', code ?? 'rate limited');
    if (!response.ok) {
      const kind =
        code && classifySlackError(code) !== 'invalid'
          ? classifySlackError(code)
          : classifyStatus(response.status);
      throw fail(kind, code ?? `HTTP ${response.status}`);
    }
    if (!parsed.success) throw fail('invalid', 'response is not a Slack API envelope');
    if (!parsed.data.ok) {
      const errorCode = code ?? 'unknown_error';
      const needed = parsed.data.needed ? ` (needs scope ${parsed.data.needed})` : '';
      throw fail(classifySlackError(errorCode), `${errorCode}${needed}`);
    }
    const result = schema.safeParse(parsed.data);
    if (!result.success) throw fail('invalid', `unexpected response shape: ${z.prettifyError(result.error)}`);
    return { data: result.data, headers: response.headers };
  }

  const call = async <T>(method: string, args: Args, schema: z.ZodType<T>, encoding: Encoding): Promise<T> =>
    (await send(method, args, schema, encoding)).data;

  return {
    /** Answers a command or click through its response_url (no token; works in any channel). */
    respond: (responseUrl: string, message: { text: string }) =>
      respondVia(fetchImpl, timeoutMs, responseUrl, message),
    ...channelMethods(call),
    ...fileMethods(call, fetchImpl, timeoutMs),
    ...effectMethods(call),
    /** `effectKey` travels as message metadata, so a retry can find what an attempt posted. */
    async postMessage(args: PostArgs): Promise<{ channel: string; ts: string }> {
      const { effectKey, ...rest } = args;
      return call('chat.postMessage', { ...rest, metadata: effectMetadata(effectKey) }, posted, 'json');
    },

    async updateMessage(args: {
      channel: string;
      ts: string;
      text: string;
      blocks?: readonly SlackBlock[] | undefined;
    }): Promise<{ channel: string; ts: string }> {
      return call('chat.update', args, posted, 'json');
    },

    async postEphemeral(args: {
      channel: string;
      user: string;
      text: string;
      blocks?: readonly SlackBlock[] | undefined;
    }): Promise<{ messageTs: string }> {
      const result = await call('chat.postEphemeral', args, z.object({ message_ts: z.string() }), 'json');
      return { messageTs: result.message_ts };
    },

    /** null when no Slack user has this email (`users_not_found`). */
    async lookupUserByEmail(email: string): Promise<SlackUser | null> {
      try {
        const result = await call('users.lookupByEmail', { email }, z.object({ user: apiUser }), 'form');
        return toUser(result.user);
      } catch (error) {
        if (error instanceof SlackApiError && error.code === 'users_not_found') return null;
        throw error;
      }
    },

    /** A person's DM channel id is stable: one conversations.open per person per client. */
    async openDm(userId: string): Promise<string> {
      const known = dmChannels.get(userId);
      if (known) return known;
      const result = await call(
        'conversations.open',
        { users: userId },
        z.object({ channel: z.object({ id: z.string() }) }),
        'json',
      );
      if (dmChannels.size > 10_000) dmChannels.clear();
      dmChannels.set(userId, result.channel.id);
      return result.channel.id;
    },

    /** Opens a modal; `triggerId` comes from the command or click and lives 3 s. */
    async openView(triggerId: string, view: Record<string, unknown>): Promise<{ id: string }> {
      const result = await call(
        'views.open',
        { trigger_id: triggerId, view },
        z.object({ view: z.object({ id: z.string() }) }),
        'json',
      );
      return { id: result.view.id };
    },

    async usergroupMembers(groupId: string): Promise<string[]> {
      const result = await call(
        'usergroups.users.list',
        { usergroup: groupId },
        z.object({ users: z.array(z.string()) }),
        'form',
      );
      return result.users;
    },

    /**
     * Who the token is (auth.test) and the scopes it was granted, which Slack reports only in
     * the `x-oauth-scopes` header (null when the answer has none). Read-only: for the doctor.
     */
    async authTest(): Promise<SlackIdentity> {
      const { data, headers } = await send('auth.test', {}, identity, 'json');
      const scopes = headers.get('x-oauth-scopes');
      return {
        userId: data.user_id,
        user: data.user,
        teamId: data.team_id,
        team: data.team,
        ...(data.bot_id ? { botId: data.bot_id } : {}),
        scopes:
          scopes === null
            ? null
            : scopes
                .split(',')
                .map((s) => s.trim())
                .filter(Boolean),
      };
    },

    async usersInfo(userId: string): Promise<SlackUser> {
      const result = await call('users.info', { user: userId }, z.object({ user: apiUser }), 'form');
      return toUser(result.user);
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
