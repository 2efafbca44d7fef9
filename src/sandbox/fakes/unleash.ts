// A contract-faithful fake of the parts of Unleash 8 Failsafe uses, on a real HTTP server
// (127.0.0.1, port 0): the Admin API the kill switch writes through and the Client API that
// unleash-client polls, with Unleash's token rules and fault injection for retry tests.
import { createHash, randomBytes } from 'node:crypto';
import { type JsonReply, type JsonRequest, routeTo, startJsonServer } from './http-server.ts';
import {
  adminRoutes,
  type FakeFlag,
  type FakeUnleashState,
  FLAG_BASICS,
  newStrategy,
  unleashError,
} from './unleash-routes.ts';

export type { FakeEventType, FakeFlag, FakeStrategy, FakeUnleashEvent } from './unleash-routes.ts';

export interface FakeUnleashOptions {
  /** Each flag starts enabled, at a 100% flexibleRollout, in each listed environment. */
  flags: Array<{ project: string; flag: string; environments: string[] }>;
  /** The admin token's name, which Unleash records as the events' createdBy. */
  adminTokenName?: string;
}

export interface FakeUnleashFault {
  status: 429 | 500 | 502 | 503 | 504;
  retryAfterSeconds?: number;
}

export type RecordedUnleashRequest = Pick<JsonRequest, 'method' | 'path' | 'query' | 'body'> & {
  authorization: string | undefined;
};
/** What a client token may read: one environment, of one project or all. */
type ClientScope = { environment: string; project: string };
export type FakeUnleash = Awaited<ReturnType<typeof startFakeUnleash>>;

// A fresh Unleash has these two, and a flag has every environment (off where not enabled).
const BUILT_IN_ENVIRONMENTS = ['development', 'production'];
// express.json's default limit, which Unleash keeps for every route the fake serves.
const MAX_BODY_BYTES = 100 * 1024;
const NO_TOKEN =
  'This endpoint requires an API token. Please add an authorization header to your request with a valid token';
const WRONG_TOKEN_TYPE = 'invalid token: expected a different token type for this endpoint';
const LOGIN = '/auth/simple/login';
const NO_LOGIN = `You must log in to use Unleash. Your request had no authorization header, so we could not authorize you. Try logging in at ${LOGIN}`;

export async function startFakeUnleash(options: FakeUnleashOptions) {
  const secret = () => randomBytes(16).toString('hex');
  const listed = options.flags.flatMap((f) => f.environments);
  const environments = [...new Set([...BUILT_IN_ENVIRONMENTS, ...listed])];
  const state: FakeUnleashState & { requests: RecordedUnleashRequest[] } = {
    flags: seedFlags(options.flags, environments),
    events: [],
    requests: [],
  };
  const adminToken = `*:*.${secret()}`;
  const projects = new Set(options.flags.map((f) => f.project));
  // A token for one project when there is one, else for all (`*`), as Unleash writes them.
  const project = projects.size === 1 ? ([...projects][0] ?? '*') : '*';
  const clients = new Map<string, ClientScope>(
    environments.map((environment) => [`${project}:${environment}.${secret()}`, { environment, project }]),
  );
  const admin = routeTo(adminRoutes(state, options.adminTokenName ?? 'failsafe-admin'), unknownPath);
  const faults: JsonReply[] = [];
  let down = false;

  function adminAuth(req: JsonRequest): JsonReply | undefined {
    const given = req.headers.authorization;
    if (given === adminToken) return undefined;
    if (given === undefined) {
      const reply = unleashError(401, 'AuthenticationRequired', NO_LOGIN);
      return { ...reply, body: { ...(reply.body as object), type: 'password', path: LOGIN } };
    }
    if (clients.has(given)) return { status: 403, body: { message: WRONG_TOKEN_TYPE } };
    return unleashError(401, 'UnauthorizedError', 'You must log in to use Unleash.');
  }

  function client(req: JsonRequest): JsonReply {
    const given = req.headers.authorization ?? '';
    const scope = clients.get(given);
    if (given === adminToken) return { status: 403, body: { message: WRONG_TOKEN_TYPE } };
    if (!scope) return { status: 401, body: { message: NO_TOKEN } };
    if (req.method === 'GET' && req.path === '/api/client/features') return clientFeatures(scope, req);
    const accepted = ['/api/client/register', '/api/client/metrics'].includes(req.path);
    return req.method === 'POST' && accepted ? { status: 202 } : unknownPath(req);
  }

  /** GET /api/client/features for one client token: its environment, its project. */
  function clientFeatures({ environment, project }: ClientScope, req: JsonRequest): JsonReply {
    // SDKs that announce a client spec (unleash-client does) get segments by reference.
    const specAware = req.headers['unleash-client-spec'] !== undefined;
    const scope = project === '*' ? {} : { project: [project] };
    const query = { ...scope, environment, inlineSegmentConstraints: !specAware };
    const revisionId = state.events.findLast((e) => e.environment === environment)?.id ?? 0;
    const queryHash = createHash('sha1').update(JSON.stringify(query)).digest('hex').slice(0, 8);
    const etag = `"${queryHash}:${revisionId}:v1"`;
    // Unleash answers a matching If-None-Match with a bare 304 (it strips even the ETag).
    if (req.headers['if-none-match'] === etag) return { status: 304 };
    const features = state.flags
      .filter((f) => project === '*' || f.project === project)
      .map((f) => {
        const env = f.environments.find((e) => e.name === environment);
        const strategies = (env?.strategies ?? [])
          .filter((s) => !s.disabled)
          .map(({ name, constraints, parameters, variants }) => ({
            name,
            constraints,
            parameters,
            variants,
          }));
        return {
          name: f.name,
          project: f.project,
          enabled: env?.enabled ?? false,
          ...FLAG_BASICS,
          strategies,
        };
      });
    const meta = { revisionId, etag, queryHash };
    const body = { version: 2, features, query, meta, ...(specAware ? { segments: [] } : {}) };
    return { status: 200, headers: { etag }, body };
  }

  const server = await startJsonServer((req) => {
    const { method, path, query, body } = req;
    state.requests.push({ method, path, query, body, authorization: req.headers.authorization });
    if (down) return unleashError(503, 'ServiceUnavailableError', 'Unleash is unavailable (simulated)');
    if (Buffer.byteLength(req.rawBody) > MAX_BODY_BYTES) {
      // Unleash leaves this one to Express, whose answer is an HTML error page.
      return { status: 413, body: 'PayloadTooLargeError: request entity too large' };
    }
    if (path.startsWith('/api/admin/')) return faults.shift() ?? adminAuth(req) ?? admin(req);
    return path.startsWith('/api/client/') ? client(req) : unknownPath(req);
  });
  let closing: Promise<void> | undefined;

  return {
    url: server.url,
    adminToken,
    /** One per environment, `project:environment.secret` (`*:…` when flags span projects). */
    clientTokens: [...clients.keys()],
    state,
    controls: {
      /** The next `count` Admin API calls fail with `fault.status` (and Retry-After when given). */
      failNext(count: number, fault: FakeUnleashFault): void {
        const seconds = fault.retryAfterSeconds;
        const headers = seconds === undefined ? undefined : { 'retry-after': String(seconds) };
        // Unleash's rate limiter (express-rate-limit) answers in plain text.
        const reply =
          fault.status === 429
            ? { status: 429, body: 'Too many requests, please try again later.' }
            : unleashError(fault.status, 'InternalError', 'Unexpected error (simulated)');
        for (let i = 0; i < count; i++) faults.push({ ...reply, headers });
      },
      /** While down, every request gets 503. */
      setDown(value: boolean): void {
        down = value;
      },
      /** A flag's state in one environment, as the Admin API would report it. */
      flag(flag: string, environment: string) {
        return state.flags.find((f) => f.name === flag)?.environments.find((e) => e.name === environment);
      },
    },
    /** Idempotent, so a test may close early and teardown close again. */
    close: () => (closing ??= server.close()),
  };
}

function unknownPath(req: JsonRequest): JsonReply {
  const message = `The path you were looking for (${req.path}) is not available.`;
  return unleashError(404, 'NotFoundError', message);
}

/** A flag named twice (two features sharing a kill switch) is one flag, as in Unleash. */
function seedFlags(flags: FakeUnleashOptions['flags'], environments: string[]): FakeFlag[] {
  const byName = new Map<string, { project: string; enabledIn: Set<string> }>();
  for (const f of flags) {
    const seen = byName.get(f.flag) ?? { project: f.project, enabledIn: new Set<string>() };
    for (const env of f.environments) seen.enabledIn.add(env);
    byName.set(f.flag, seen);
  }
  const createdAt = new Date().toISOString();
  return [...byName].map(([name, { project, enabledIn }]) => ({
    name,
    project,
    createdAt,
    environments: environments.map((env) => ({
      name: env,
      enabled: enabledIn.has(env),
      strategies: enabledIn.has(env) ? [newStrategy(name, { name: 'flexibleRollout' }, 0)] : [],
    })),
  }));
}
