// The Unleash 8 Admin API routes the fake serves: a flag's environments and strategies,
// on/off, and the event log. Shapes, messages and side effects (default strategy on enable,
// events only for real changes, PUT replacing constraints) follow unleash-server 8.2.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { JsonReply, JsonRequest, Route } from './http-server.ts';

export type FakeStrategy = ReturnType<typeof newStrategy>;
export type FakeFlagEnvironment = { name: string; enabled: boolean; strategies: FakeStrategy[] };
export type FakeFlag = {
  name: string;
  project: string;
  createdAt: string;
  environments: FakeFlagEnvironment[];
};
export type FakeEventType =
  | 'feature-environment-enabled'
  | 'feature-environment-disabled'
  | 'feature-strategy-add'
  | 'feature-strategy-update';
export type FakeUnleashEvent = {
  id: number;
  type: FakeEventType;
  createdBy: string;
  createdByUserId: number;
  createdAt: string;
  featureName: string;
  project: string;
  environment: string;
  data: unknown;
  preData: unknown;
  tags: string[];
};
/** Events are kept oldest first; the API serves them newest first. */
export type FakeUnleashState = { flags: FakeFlag[]; events: FakeUnleashEvent[] };

const STRATEGY_TYPES = ['default', 'flexibleRollout', 'userWithId', 'remoteAddress', 'applicationHostname'];
// Unleash stores every parameter as a string, whatever JSON type it was sent as.
const ParameterValue = z.union([z.string(), z.number(), z.boolean()]).transform(String);
const StrategyBody = z.object({
  name: z.string().min(1),
  title: z.string().nullish(),
  disabled: z.boolean().nullish(),
  parameters: z.record(z.string(), ParameterValue).optional(),
  constraints: z.array(z.unknown()).optional(),
  variants: z.array(z.unknown()).optional(),
  sortOrder: z.number().optional(),
});
type StrategyInput = z.infer<typeof StrategyBody>;
type Found = { flag: FakeFlag; env: FakeFlagEnvironment };

export function unleashError(status: number, name: string, message: string, detail = message): JsonReply {
  return { status, body: { id: randomUUID(), name, message, details: [{ message: detail }] } };
}
const INVALID = 'Request validation failed: your request body or params contain invalid data';
const notFound = (message: string) => unleashError(404, 'NotFoundError', message);
const ok = (body?: unknown): JsonReply => ({ status: 200, body });

/** Unleash fills in flexibleRollout's defaults; other strategies keep what they were given. */
export function newStrategy(flag: string, input: StrategyInput, order: number, id: string = randomUUID()) {
  const given = input.parameters ?? {};
  const rollout = { rollout: given.rollout ?? '100', stickiness: given.stickiness || 'default' };
  const parameters =
    input.name === 'flexibleRollout' ? { ...given, ...rollout, groupId: given.groupId || flag } : given;
  // Like Unleash, a PUT without constraints or variants clears them.
  const { name, title = null, disabled, constraints = [], variants = [] } = input;
  const shape = { constraints, variants, segments: [] as number[], sortOrder: input.sortOrder ?? order };
  return { id, name, title, disabled: disabled ?? false, parameters, ...shape };
}

export function adminRoutes(state: FakeUnleashState, actor: string): Route[] {
  function record(type: FakeEventType, { flag, env }: Found, data: unknown = null, preData: unknown = null) {
    const id = (state.events.at(-1)?.id ?? 0) + 1;
    const where = { featureName: flag.name, project: flag.project, environment: env.name };
    const createdAt = new Date().toISOString();
    // -42 is the user id Unleash records for changes made with an admin token.
    const by = { createdBy: actor, createdByUserId: -42 };
    state.events.push({ id, type, ...by, createdAt, ...where, data, preData, tags: [] });
  }
  const findFlag = (project = '', name = '') =>
    state.flags.find((f) => f.name === name && f.project === project);
  const missingFlag = (project = '', name = '') => {
    const elsewhere = state.flags.find((f) => f.name === name)?.project;
    const hint = elsewhere ? `, but there's a feature with that name in project "${elsewhere}"` : '.';
    return notFound(`There's no feature named "${name}" in project "${project}"${hint}`);
  };

  /** Runs `handle` on the flag and environment the path names, or gives Unleash's 404. */
  const inEnvironment =
    (handle: (found: Found, req: JsonRequest, extra: string | undefined) => JsonReply) =>
    (req: JsonRequest, [project, name, envName, extra]: string[]) => {
      const flag = findFlag(project, name);
      const env = flag?.environments.find((e) => e.name === envName);
      if (!flag) return missingFlag(project, name);
      if (!env) return notFound(`Could not find environment ${envName} for feature: ${name}`);
      return handle({ flag, env }, req, extra);
    };

  function parseStrategy(req: JsonRequest): StrategyInput | JsonReply {
    // express.json only parses bodies that say they are JSON; anything else is an empty object.
    const json = req.headers['content-type']?.includes('application/json') && !req.bodyError;
    const parsed = StrategyBody.safeParse(json ? req.body : {});
    if (!parsed.success) {
      const detail = parsed.error.issues
        .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
        .join('; ');
      return unleashError(
        400,
        'BadDataError',
        `${INVALID}. Refer to the \`details\` list for more information.`,
        detail,
      );
    }
    if (STRATEGY_TYPES.includes(parsed.data.name)) return parsed.data;
    const detail = `Could not find strategy type with name ${parsed.data.name}`;
    return unleashError(400, 'BadDataError', `${INVALID}: ${detail}`, detail);
  }

  function toggle(found: Found, enabled: boolean): JsonReply {
    const { flag, env } = found;
    // Turning on with no active strategy adds Unleash's default: a 100% flexibleRollout.
    if (enabled && env.strategies.every((s) => s.disabled)) {
      const added = newStrategy(flag.name, { name: 'flexibleRollout' }, env.strategies.length);
      env.strategies.push(added);
      record('feature-strategy-add', found, added);
    }
    // Only a change is an event: turning off what is off is a quiet 200.
    if (env.enabled === enabled) return ok();
    env.enabled = enabled;
    record(enabled ? 'feature-environment-enabled' : 'feature-environment-disabled', found);
    return ok();
  }

  function addStrategy(found: Found, req: JsonRequest): JsonReply {
    const input = parseStrategy(req);
    if ('status' in input) return input;
    const added = newStrategy(found.flag.name, input, found.env.strategies.length);
    found.env.strategies.push(added);
    record('feature-strategy-add', found, added);
    return ok(added);
  }

  function updateStrategy(found: Found, req: JsonRequest, id = ''): JsonReply {
    const { strategies } = found.env;
    const index = strategies.findIndex((s) => s.id === id);
    const existing = strategies[index];
    if (!existing) return notFound(`Could not find strategy with id=${id}`);
    const input = parseStrategy(req);
    if ('status' in input) return input;
    const kept = { title: input.title ?? existing.title, disabled: input.disabled ?? existing.disabled };
    const updated = newStrategy(found.flag.name, { ...input, ...kept }, existing.sortOrder, existing.id);
    strategies[index] = updated;
    record('feature-strategy-update', found, updated, existing);
    return ok(updated);
  }

  const newest = (events: FakeUnleashEvent[], limit: number) => events.toReversed().slice(0, limit);
  const env = '^/api/admin/projects/([^/]+)/features/([^/]+)/environments/([^/]+)';
  return [
    {
      method: 'GET',
      path: /^\/api\/admin\/projects\/([^/]+)\/features\/([^/]+)$/,
      handle: (_req, [project, name]) => {
        const flag = findFlag(project, name);
        return flag ? ok(adminFeature(flag)) : missingFlag(project, name);
      },
    },
    {
      method: 'POST',
      path: RegExp(`${env}/(on|off)$`),
      handle: inEnvironment((f, _r, on) => toggle(f, on === 'on')),
    },
    { method: 'POST', path: RegExp(`${env}/strategies$`), handle: inEnvironment(addStrategy) },
    { method: 'PUT', path: RegExp(`${env}/strategies/([^/]+)$`), handle: inEnvironment(updateStrategy) },
    {
      // Unleash 8 ignores ?feature= and ?limit= here and serves the newest 100 events of every
      // flag (only ?project= filters); /api/admin/events/{flag} is the per-flag log.
      method: 'GET',
      path: '/api/admin/events',
      handle: (req) => {
        const project = req.query.get('project');
        const all = state.events.filter((e) => !project || e.project === project);
        return ok({ version: 1, events: newest(all, project ? 50 : 100), totalEvents: all.length });
      },
    },
    {
      method: 'GET',
      path: /^\/api\/admin\/events\/([^/]+)$/,
      handle: (_req, [name = '']) => {
        const all = state.events.filter((e) => e.featureName === name);
        return ok({ version: 1, toggleName: name, events: newest(all, 50), totalEvents: all.length });
      },
    },
  ];
}

/** What every fake flag has in common: a kill switch nobody marked stale, without variants. */
export const FLAG_BASICS = {
  type: 'kill-switch',
  description: null,
  stale: false,
  impressionData: false,
  variants: [],
};

function adminFeature({ name, project, createdAt, environments }: FakeFlag) {
  const envs = environments.map(({ name: env, enabled, strategies }, i) => {
    const type = env === 'production' ? 'production' : 'development';
    return { name: env, environment: env, featureName: name, type, enabled, sortOrder: i + 1, strategies };
  });
  return { name, project, createdAt, ...FLAG_BASICS, archived: false, environments: envs, dependencies: [] };
}
