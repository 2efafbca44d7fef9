// Thin client for the parts of the Unleash Admin API a kill switch needs: read a flag's
// environments, turn an environment on or off, set a gradual rollout, and read the event log.
// The SDK (unleash-client) cannot write, so flips go through here; reads for verification go
// through flags.ts, which sees what SDKs see.
import { z } from 'zod';
import {
  type ClientOptions,
  classifyStatus,
  fetchWithTimeout,
  joinUrl,
  retryAfterMs,
  UpstreamError,
} from './http.ts';

const SERVICE = 'unleash';
const DEFAULT_TIMEOUT_MS = 5_000;

export interface FlagRef {
  project: string;
  flag: string;
  environment: string;
}

export interface FlagStrategy {
  id: string;
  name: string;
  parameters: Record<string, string>;
  disabled: boolean;
  /** Targeting the team set up; a strategy PUT without them would clear them. */
  constraints: unknown[];
  variants: unknown[];
  segments: number[];
  title: string | null;
}

export interface FlagEnvironment {
  name: string;
  enabled: boolean;
  strategies: FlagStrategy[];
}

export interface FlagEvent {
  type: string;
  createdBy: string;
  createdAt: Date;
  environment: string | null;
}

const Strategy = z.object({
  id: z.string(),
  name: z.string(),
  parameters: z.record(z.string(), z.union([z.string(), z.number()]).transform(String)).default({}),
  disabled: z
    .boolean()
    .nullish()
    .transform((d) => d === true),
  constraints: z.array(z.unknown()).default([]),
  variants: z.array(z.unknown()).default([]),
  segments: z.array(z.number()).default([]),
  title: z
    .string()
    .nullish()
    .transform((t) => t ?? null),
});
const Feature = z.object({
  name: z.string(),
  environments: z.array(
    z.object({ name: z.string(), enabled: z.boolean(), strategies: z.array(Strategy).default([]) }),
  ),
});
const Events = z.object({
  events: z.array(
    z.object({
      type: z.string(),
      featureName: z.string().nullish(),
      createdBy: z.string(),
      createdAt: z.iso.datetime({ offset: true }).transform((s) => new Date(s)),
      environment: z.string().nullish(),
    }),
  ),
});
const ErrorBody = z.object({ message: z.string().optional(), name: z.string().optional() });

export type UnleashAdmin = ReturnType<typeof createUnleashAdmin>;

export function createUnleashAdmin(options: ClientOptions) {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const token = options.token ?? '';

  async function request<S extends z.ZodType>(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    schema: S | null,
    body?: unknown,
  ): Promise<z.infer<S> | undefined> {
    const url = joinUrl(options.baseUrl, path);
    const headers: Record<string, string> = { authorization: token, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const init = { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) };
    const res = await fetchWithTimeout(SERVICE, fetchImpl, url, init, timeoutMs);
    const text = await res.text().catch(() => '');
    if (!res.ok) {
      const kind = classifyStatus(res.status);
      const parsed = ErrorBody.safeParse(parseJson(text));
      let detail =
        (parsed.success ? parsed.data.message : undefined) ?? (text.slice(0, 200) || res.statusText);
      if (kind === 'config') detail = `${detail} (check UNLEASH_ADMIN_TOKEN: it must be an admin token)`;
      if (token) detail = detail.replaceAll(token, '[redacted]');
      throw new UpstreamError(SERVICE, method, url, kind, res.status, detail, retryAfterMs(res.headers));
    }
    if (!schema) return undefined;
    const parsed = schema.safeParse(parseJson(text));
    if (!parsed.success) {
      throw new UpstreamError(SERVICE, method, url, 'invalid', res.status, 'unexpected response shape');
    }
    return parsed.data;
  }

  const featurePath = (ref: Pick<FlagRef, 'project' | 'flag'>) =>
    `api/admin/projects/${encodeURIComponent(ref.project)}/features/${encodeURIComponent(ref.flag)}`;
  const envPath = (ref: FlagRef) => `${featurePath(ref)}/environments/${encodeURIComponent(ref.environment)}`;

  return {
    /** Every environment of the flag with its enabled state and strategies. */
    async getFlag(ref: Pick<FlagRef, 'project' | 'flag'>): Promise<FlagEnvironment[]> {
      const feature = (await request('GET', featurePath(ref), Feature)) as z.infer<typeof Feature>;
      return feature.environments;
    },

    /** Read-only, for the doctor: the token is let in (the event log needs an admin token). */
    async checkToken(): Promise<void> {
      await request('GET', 'api/admin/events', null);
    },

    /** Idempotent in Unleash: turning off an environment that is off is a 200 and no change. */
    async setEnabled(ref: FlagRef, enabled: boolean): Promise<void> {
      await request('POST', `${envPath(ref)}/${enabled ? 'on' : 'off'}`, null);
    },

    /**
     * Makes the environment expose the flag to `percent` of users: every flexibleRollout
     * strategy gets that rollout, or one is added when there is none. Other strategies are
     * left alone (they are the team's targeting rules).
     */
    async setRollout(ref: FlagRef, percent: number): Promise<void> {
      const env = (await this.getFlag(ref)).find((e) => e.name === ref.environment);
      if (!env) {
        throw new UpstreamError(
          SERVICE,
          'GET',
          featurePath(ref),
          'invalid',
          404,
          `no environment ${ref.environment}`,
        );
      }
      const rollouts = env.strategies.filter((s) => s.name === 'flexibleRollout');
      const parameters = (s?: FlagStrategy) => ({
        groupId: ref.flag,
        stickiness: 'default',
        ...s?.parameters,
        rollout: String(percent),
      });
      if (rollouts.length === 0) {
        await request('POST', `${envPath(ref)}/strategies`, null, {
          name: 'flexibleRollout',
          constraints: [],
          parameters: parameters(),
        });
        return;
      }
      for (const s of rollouts) {
        // Everything the strategy had goes back with it: only the percentage changes.
        await request('PUT', `${envPath(ref)}/strategies/${encodeURIComponent(s.id)}`, null, {
          name: 'flexibleRollout',
          title: s.title,
          disabled: s.disabled,
          parameters: parameters(s),
          constraints: s.constraints,
          variants: s.variants,
          segments: s.segments,
        });
      }
    },

    /**
     * The flag's newest changes, newest first. `/api/admin/events?feature=` ignores the filter
     * in Unleash 8 (it returns every flag's events), so this reads the per-flag log and still
     * checks the name.
     */
    async recentEvents(flag: string): Promise<FlagEvent[]> {
      const path = `api/admin/events/${encodeURIComponent(flag)}`;
      const out = (await request('GET', path, Events)) as z.infer<typeof Events>;
      return out.events
        .filter((e) => e.featureName === flag)
        .map((e) => ({
          type: e.type,
          createdBy: e.createdBy,
          createdAt: e.createdAt,
          environment: e.environment ?? null,
        }));
    },
  };
}

/** The rollout percentage an environment exposes: 100 with a non-rollout strategy or none. */
export function rolloutOf(env: FlagEnvironment): number {
  const active = env.strategies.filter((s) => !s.disabled);
  if (active.length === 0) return 100;
  let best = 0;
  for (const s of active) {
    if (s.name !== 'flexibleRollout') return 100;
    best = Math.max(best, Number(s.parameters.rollout ?? 100));
  }
  return best;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
