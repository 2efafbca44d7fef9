// A contract-faithful fake of PagerDuty REST API v2 and Events API v2 on a real HTTP
// server, with fault injection so tests can exercise retries and timeouts without sleeping.
// REST and Events share one server: REST at `url`, Events at `eventsUrl` + /v2/enqueue.
import { type JsonReply, type JsonRequest, routeTo, startJsonServer } from './http-server.ts';
import { type EventsContext, eventsRoutes, type FakeAlert, type FakeEvent } from './pagerduty-events.ts';
import { type FakeIncident, incidentRoutes } from './pagerduty-incidents.ts';
import { pdError, type RestContext, readRoutes } from './pagerduty-rest.ts';
import { defaultRoster, type Roster, type RosterUser } from './pagerduty-roster.ts';
import { type UpdateContext, updateRoutes } from './pagerduty-updates.ts';
import { deliverWebhook, webhookPayload } from './pagerduty-webhooks.ts';
import { slidingWindow } from './rate-window.ts';

export type { FakeAlert, FakeEvent } from './pagerduty-events.ts';
export type { FakeIncident } from './pagerduty-incidents.ts';
export { ANA, defaultRoster, JANE, type Roster, SAM } from './pagerduty-roster.ts';

export const FAKE_PD_TOKEN = 'fake-pd-token-u+0000';
export const FAKE_ROUTING_KEY = 'R0UT1NGKEY0000000000000000000001';
const ACCEPT = 'application/vnd.pagerduty+json;version=2';

export interface FakePagerDutyOptions {
  token?: string | undefined;
  roster?: Roster | undefined;
  /** Restrict `From` on POST /incidents to these emails (default: any email). */
  fromEmails?: string[] | undefined;
  /** Restrict Events API routing keys (default: any 32-character key). */
  routingKeys?: string[] | undefined;
  /** PagerDuty's published rate limits (on by default); `false` turns them off. */
  rateLimits?: PdRateLimits | false | undefined;
}

export interface PdRateLimits {
  /** REST calls per minute per API token (PagerDuty: 960). */
  restPerMinute: number;
  /** Events API v2 events per minute per routing key (PagerDuty: 120). */
  eventsPerMinute: number;
  now?: () => number;
}

export const PD_RATE_LIMITS: PdRateLimits = { restPerMinute: 960, eventsPerMinute: 120 };

/** 429 with PagerDuty's ratelimit-* headers once a token or routing key is over its minute. */
function createLimits(options: PdRateLimits | false | undefined) {
  if (options === false) return (_req: RecordedRequest): JsonReply | undefined => undefined;
  const limits = options ?? PD_RATE_LIMITS;
  const now = limits.now ?? Date.now;
  const rest = slidingWindow(limits.restPerMinute, 60_000, now);
  const events = slidingWindow(limits.eventsPerMinute, 60_000, now);
  return (req: RecordedRequest): JsonReply | undefined => {
    const body = req.body as { routing_key?: unknown } | undefined;
    const seconds =
      req.api === 'events'
        ? events(String(body?.routing_key ?? ''))
        : rest(String(req.headers.authorization ?? ''));
    if (seconds === undefined) return undefined;
    const limit = String(req.api === 'events' ? limits.eventsPerMinute : limits.restPerMinute);
    const headers = {
      'ratelimit-limit': limit,
      'ratelimit-remaining': '0',
      'ratelimit-reset': String(seconds),
    };
    return req.api === 'events'
      ? {
          status: 429,
          body: { status: 'throttle event', message: 'Requests for this service are arriving too quickly.' },
          headers,
        }
      : { status: 429, body: { error: { message: 'Rate Limit Exceeded', code: 2020 } }, headers };
  };
}

export interface RecordedRequest {
  api: 'rest' | 'events';
  method: string;
  path: string;
  query: URLSearchParams;
  headers: JsonRequest['headers'];
  body: unknown;
  receivedAt: number;
}

export interface FakePagerDutyState {
  roster: Roster;
  requests: RecordedRequest[];
  incidents: FakeIncident[];
  events: FakeEvent[];
  alerts: FakeAlert[];
}

export interface Fault {
  status: 429 | 500 | 502 | 503;
  retryAfterSeconds?: number | undefined;
}

type Waiter = { predicate: (r: RecordedRequest) => boolean; resolve: (r: RecordedRequest) => void };

export async function startFakePagerDuty(options: FakePagerDutyOptions = {}) {
  const token = options.token ?? FAKE_PD_TOKEN;
  const state: FakePagerDutyState = {
    roster: options.roster ?? defaultRoster(),
    requests: [],
    incidents: [],
    events: [],
    alerts: [],
  };
  // Each entry is one scripted answer; `hang` never answers (for timeout tests).
  const script: (JsonReply | 'hang')[] = [];
  const listeners = new Set<(r: RecordedRequest) => void>();
  const waiters = new Set<Waiter>();
  const incidentWaiters: ((i: FakeIncident) => void)[] = [];
  const eventWaiters: ((e: FakeEvent) => void)[] = [];
  let down = false;
  let baseUrl = '';

  const restCtx: RestContext = {
    baseUrl: () => baseUrl,
    roster: () => state.roster,
    incidents: state.incidents,
    fromEmails: options.fromEmails,
    incidentCreated: (incident) => {
      for (const resolve of incidentWaiters.splice(0)) resolve(incident);
    },
  };
  const eventsCtx: EventsContext = {
    events: state.events,
    alerts: state.alerts,
    routingKeys: options.routingKeys,
    eventAccepted: (event) => {
      for (const resolve of eventWaiters.splice(0)) resolve(event);
    },
  };
  // Where PagerDuty would send webhooks v3 for incident changes (none until a test sets it).
  let webhookTarget: { url: string; secrets: string[] } | null = null;
  const notify = (incident: FakeIncident, eventType: string, agent: RosterUser, client: string) => {
    if (!webhookTarget) return Promise.resolve(null);
    const payload = webhookPayload(eventType, incident, { agent, client });
    return deliverWebhook(webhookTarget.url, webhookTarget.secrets, payload).catch(() => null);
  };
  const updateCtx: UpdateContext = {
    ...restCtx,
    incidentUpdated: (incident, eventType, agent) => void notify(incident, eventType, agent, 'PagerDuty API'),
  };
  const rest = routeTo([...readRoutes(restCtx), ...incidentRoutes(restCtx), ...updateRoutes(updateCtx)], () =>
    pdError(404, 'Not Found', 2100),
  );
  const events = routeTo(eventsRoutes(eventsCtx), () => ({ status: 404, body: { status: 'Not found' } }));

  function record(req: JsonRequest): RecordedRequest {
    const api = req.path.startsWith('/v2/') ? 'events' : 'rest';
    const recorded = { api, ...req } satisfies RecordedRequest;
    state.requests.push(recorded);
    for (const listener of listeners) listener(recorded);
    for (const waiter of waiters) {
      if (waiter.predicate(recorded)) {
        waiters.delete(waiter);
        waiter.resolve(recorded);
      }
    }
    return recorded;
  }

  function checkRestHeaders(req: JsonRequest): JsonReply | undefined {
    if (req.headers.authorization !== `Token token=${token}`)
      return pdError(401, 'Authentication failed', 2006);
    if (!req.headers.accept?.includes(ACCEPT)) {
      return pdError(400, 'Invalid Input Provided', 2001, [`Accept header must be ${ACCEPT}`]);
    }
    if (req.method === 'POST' && !req.headers['content-type']?.includes('application/json')) {
      return pdError(400, 'Invalid Input Provided', 2001, ['Content-Type must be application/json']);
    }
    if (req.bodyError) return pdError(400, 'Invalid Input Provided', 2001, ['JSON parse error']);
    return undefined;
  }

  const rateLimited = createLimits(options.rateLimits);

  const server = await startJsonServer(async (req) => {
    const recorded = record(req);
    if (down) return { status: 503, body: { error: { message: 'Service Unavailable', code: 5003 } } };
    const scripted = script.shift();
    if (scripted === 'hang') return new Promise<never>(() => {});
    if (scripted) return scripted;
    const limited = rateLimited(recorded);
    if (limited) return limited;
    if (recorded.api === 'events') return events(req);
    return checkRestHeaders(req) ?? rest(req);
  });
  baseUrl = server.url;

  return {
    url: server.url,
    eventsUrl: server.url,
    token,
    state,
    close: server.close,
    /** The next `n` requests (REST or Events) fail with `fault.status`. */
    failNext(n: number, fault: Fault) {
      const seconds = fault.retryAfterSeconds ?? (fault.status === 429 ? 1 : undefined);
      const headers: Record<string, string> = {};
      if (seconds !== undefined) headers['retry-after'] = String(seconds);
      if (fault.status === 429) headers['ratelimit-reset'] = String(seconds);
      const body = {
        error: { message: fault.status === 429 ? 'Rate Limit Exceeded' : 'Server Error', code: 2020 },
      };
      for (let i = 0; i < n; i++) script.push({ status: fault.status, headers, body });
    },
    /** The next request gets exactly this reply (e.g. a body of the wrong shape). */
    replyNext(reply: JsonReply) {
      script.push(reply);
    },
    /** The next `n` requests are received and recorded but never answered. */
    hangNext(n = 1) {
      for (let i = 0; i < n; i++) script.push('hang');
    },
    /** Send webhooks v3 for incident changes to `url`, signed with `secrets`. */
    setWebhookTarget(url: string, secrets: string[]) {
      webhookTarget = { url, secrets };
    },
    /** A person acts in the PagerDuty mobile app: the incident changes and a webhook goes out. */
    async actFromApp(incidentId: string, status: 'acknowledged' | 'resolved', user: RosterUser) {
      const incident = state.incidents.find((i) => i.id === incidentId);
      if (!incident || incident.status === 'resolved') return null;
      incident.status = status;
      return notify(incident, `incident.${status}`, user, 'PagerDuty Mobile');
    },
    setDown(value: boolean) {
      down = value;
    },
    setRoster(roster: Roster) {
      state.roster = roster;
    },
    onRequest(listener: (r: RecordedRequest) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** Resolves with the first request (already received or future) matching `predicate`. */
    waitFor(predicate: (r: RecordedRequest) => boolean): Promise<RecordedRequest> {
      const seen = state.requests.find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.add({ predicate, resolve }));
    },
    /** Resolves with the next incident created after this call. */
    nextIncident(): Promise<FakeIncident> {
      return new Promise((resolve) => incidentWaiters.push(resolve));
    },
    /** Resolves with the next Events API event accepted after this call. */
    nextEvent(): Promise<FakeEvent> {
      return new Promise((resolve) => eventWaiters.push(resolve));
    },
  };
}

export type FakePagerDuty = Awaited<ReturnType<typeof startFakePagerDuty>>;
