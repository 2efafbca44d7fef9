import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UpstreamError } from '../../src/adapters/http.ts';
import {
  createPagerDutyEvents,
  createPagerDutyRest,
  normalizeDedupKey,
} from '../../src/adapters/pagerduty.ts';
import {
  FAKE_PD_TOKEN,
  FAKE_ROUTING_KEY,
  type FakePagerDuty,
  startFakePagerDuty,
} from '../../src/sandbox/fakes/pagerduty.ts';
import type { Roster } from '../../src/sandbox/fakes/pagerduty-roster.ts';

let pd: FakePagerDuty;
beforeEach(async () => {
  pd = await startFakePagerDuty();
});
afterEach(() => pd.close());

const rest = (overrides: { token?: string | undefined; fromEmail?: string; timeoutMs?: number } = {}) =>
  createPagerDutyRest({
    baseUrl: pd.url,
    token: 'token' in overrides ? overrides.token : FAKE_PD_TOKEN,
    fromEmail: overrides.fromEmail ?? 'failsafe@example.com',
    timeoutMs: overrides.timeoutMs ?? 2_000,
  });
const events = () => createPagerDutyEvents({ baseUrl: pd.eventsUrl, timeoutMs: 2_000 });
const trigger = (dedupKey: string) => ({
  routingKey: FAKE_ROUTING_KEY,
  action: 'trigger' as const,
  dedupKey,
  summary: 'Assistant hallucination rate over budget',
  source: 'failsafe',
  severity: 'critical' as const,
});

async function upstreamError(promise: Promise<unknown>): Promise<UpstreamError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UpstreamError);
  return error as UpstreamError;
}

describe('PagerDuty REST', () => {
  it('lists on-calls with emails, level 1 first, sending the documented headers and query', async () => {
    const oncalls = await rest().listOncalls('PEP1');
    expect(oncalls.map((o) => [o.escalationLevel, o.user.name, o.user.email])).toEqual([
      [1, 'Jane Doe', 'jane@example.com'],
      [2, 'Sam Lee', 'sam@example.com'],
    ]);
    expect(oncalls[0]).toMatchObject({
      escalationPolicyId: 'PEP1',
      start: null,
      end: null,
      user: { id: 'PUSER1' },
    });
    const [request] = pd.state.requests;
    expect(request?.headers).toMatchObject({
      authorization: `Token token=${FAKE_PD_TOKEN}`,
      accept: 'application/vnd.pagerduty+json;version=2',
    });
    expect(request?.query.getAll('escalation_policy_ids[]')).toEqual(['PEP1']);
    expect(request?.query.get('earliest')).toBe('true');
  });

  it('follows classic pagination until `more` is false', async () => {
    const users = Array.from({ length: 130 }, (_, i) => ({
      id: `PU${i}`,
      name: `User ${i}`,
      email: `u${i}@example.com`,
    }));
    const roster: Roster = {
      escalationPolicies: [
        {
          id: 'PBIG',
          name: 'Big',
          levels: [2, 1, 3].map((level, i) => ({ level, users: users.slice(i * 50, i * 50 + 50) })),
        },
      ],
      services: [],
    };
    pd.setRoster(roster);
    const oncalls = await rest().listOncalls('PBIG');
    expect(new Set(oncalls.map((o) => o.user.id)).size).toBe(130);
    expect(oncalls.map((o) => o.escalationLevel)).toEqual([...oncalls.map((o) => o.escalationLevel)].sort());
    expect(pd.state.requests.map((r) => r.query.get('offset'))).toEqual(['0', '100']);
  });

  it('reads a service and its escalation policy; an unknown service is invalid', async () => {
    await expect(rest().getService('PSVC2')).resolves.toEqual({
      id: 'PSVC2',
      name: 'Semantic Search',
      escalationPolicyId: 'PEP2',
    });
    const error = await upstreamError(rest().getService('PNOPE'));
    expect([error.kind, error.status]).toEqual(['invalid', 404]);
    // The log keeps method and URL; what a person is shown names neither.
    expect(error.message).toContain('/services/PNOPE');
    expect(error.summary).toBe('PagerDuty refused the request (404)');
  });

  it('reads an escalation policy by id; an unknown one is a 404', async () => {
    await expect(rest().getEscalationPolicy('PEP1')).resolves.toEqual({ id: 'PEP1', name: 'AI Platform' });
    const error = await upstreamError(rest().getEscalationPolicy('PNOPE'));
    expect([error.kind, error.status]).toEqual(['invalid', 404]);
    expect(pd.state.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /escalation_policies/PEP1',
      'GET /escalation_policies/PNOPE',
    ]);
  });

  it('creates an incident assigned to the level-1 on-call, with From and the incident key', async () => {
    const created = pd.nextIncident();
    const incident = await rest().createIncident({
      serviceId: 'PSVC1',
      title: 'Assistant answers are wrong',
      urgency: 'high',
      incidentKey: 'fs-incident-42',
      details: 'burn rate 14x',
    });
    expect(incident.assignees).toEqual([{ id: 'PUSER1', name: 'Jane Doe' }]);
    expect(incident).toMatchObject({ status: 'triggered', number: 1 });
    const stored = await created;
    expect(incident.id).toBe(stored.id);
    expect(incident.htmlUrl).toBe(stored.html_url);
    expect(stored).toMatchObject({ incident_key: 'fs-incident-42', created_by: 'failsafe@example.com' });
    expect(stored.body.details).toBe('burn rate 14x');
  });

  it('assigns directly to a given user', async () => {
    const input = {
      serviceId: 'PSVC1',
      title: 't',
      urgency: 'low' as const,
      incidentKey: 'k',
      assigneeUserId: 'PUSER2',
    };
    const incident = await rest().createIncident(input);
    expect(incident.assignees).toEqual([{ id: 'PUSER2', name: 'Sam Lee' }]);
  });

  it('is idempotent on incidentKey while the incident is open, and finds it by key', async () => {
    const input = { serviceId: 'PSVC1', title: 'Disk full', urgency: 'high' as const, incidentKey: 'fs-7' };
    const first = await rest().createIncident(input);
    const again = await rest().createIncident(input);
    expect(again.id).toBe(first.id);
    expect(pd.state.incidents).toHaveLength(1);
    await expect(rest().findIncidentByKey('fs-7')).resolves.toMatchObject({ id: first.id });
    await expect(rest().findIncidentByKey('fs-unknown')).resolves.toBeNull();

    const stored = pd.state.incidents[0];
    if (stored) stored.status = 'resolved';
    const next = await rest().createIncident(input);
    expect(next.id).not.toBe(first.id);
  });

  it('rejects a create without a valid From as invalid', async () => {
    const error = await upstreamError(
      rest({ fromEmail: '' }).createIncident({
        serviceId: 'PSVC1',
        title: 't',
        urgency: 'high',
        incidentKey: 'k',
      }),
    );
    expect([error.kind, error.status]).toEqual(['invalid', 400]);
    expect(pd.state.incidents).toHaveLength(0);
  });

  it('rejects a create whose From is not a user of the account, as PagerDuty does (1008)', async () => {
    const error = await upstreamError(
      rest({ fromEmail: 'stranger@example.com' }).createIncident({
        serviceId: 'PSVC1',
        title: 't',
        urgency: 'high',
        incidentKey: 'k',
      }),
    );
    expect([error.kind, error.status, error.message]).toEqual([
      'invalid',
      400,
      expect.stringContaining('Requester User Not Found'),
    ]);
    expect(pd.state.incidents).toHaveLength(0);
  });

  it('answers 429 with ratelimit-reset once a token is over its minute', async () => {
    await pd.close();
    let now = 1_000_000;
    pd = await startFakePagerDuty({ rateLimits: { restPerMinute: 2, eventsPerMinute: 2, now: () => now } });
    await rest().listOncalls('PEP1');
    await rest().listOncalls('PEP1');
    const error = await upstreamError(rest().listOncalls('PEP1'));
    expect([error.kind, error.status]).toEqual(['retryable', 429]);
    now += 60_000;
    await expect(rest().listOncalls('PEP1')).resolves.toBeDefined();
  });

  it('classifies a wrong token as config without echoing it', async () => {
    const error = await upstreamError(rest({ token: 'sekrit-wrong-token' }).listOncalls('PEP1'));
    expect([error.kind, error.status]).toEqual(['config', 401]);
    expect(error.message).toContain('GET');
    expect(error.message).not.toContain('sekrit-wrong-token');
  });

  it('classifies a missing token as config without calling PagerDuty', async () => {
    const error = await upstreamError(rest({ token: undefined }).getService('PSVC1'));
    expect(error.kind).toBe('config');
    expect(pd.state.requests).toHaveLength(0);
  });

  it('sums up a refused change, a rate limit, an outage and no answer for people, without a URL', async () => {
    const change = await upstreamError(
      rest().updateIncident('PGONE', 'jane@example.com', { status: 'resolved' }),
    );
    expect(change.summary).toBe('PagerDuty refused the change (404)');
    pd.failNext(1, { status: 429, retryAfterSeconds: 1 });
    expect((await upstreamError(rest().getService('PSVC1'))).summary).toBe(
      "PagerDuty is limiting Failsafe's requests (429)",
    );
    pd.failNext(1, { status: 503 });
    expect((await upstreamError(rest().getService('PSVC1'))).summary).toBe(
      'PagerDuty had an error on its side (503)',
    );
    const none = createPagerDutyRest({ baseUrl: 'http://127.0.0.1:1', token: 't', fromEmail: 'a@b.c' });
    const unreachable = await upstreamError(none.getService('PSVC1'));
    expect(unreachable.summary).toBe('PagerDuty did not answer');
    for (const e of [change, unreachable])
      expect(e.summary).not.toMatch(/https?:|127\.0\.0\.1|\/incidents\//);
  });

  it('makes 429 retryable with the wait from Retry-After', async () => {
    pd.failNext(1, { status: 429, retryAfterSeconds: 7 });
    const error = await upstreamError(rest().listOncalls('PEP1'));
    expect([error.kind, error.status, error.retryAfterMs]).toEqual(['retryable', 429, 7_000]);
    await expect(rest().listOncalls('PEP1')).resolves.toHaveLength(2);
  });

  it('reads ratelimit-reset when there is no Retry-After', async () => {
    pd.replyNext({
      status: 429,
      headers: { 'ratelimit-reset': '3' },
      body: { error: { message: 'slow down' } },
    });
    const error = await upstreamError(rest().getService('PSVC1'));
    expect(error.retryAfterMs).toBe(3_000);
  });

  it('makes 503 and an outage retryable, and recovers', async () => {
    pd.failNext(1, { status: 503 });
    expect((await upstreamError(rest().getService('PSVC1'))).kind).toBe('retryable');
    pd.setDown(true);
    expect((await upstreamError(rest().getService('PSVC1'))).status).toBe(503);
    pd.setDown(false);
    await expect(rest().getService('PSVC1')).resolves.toMatchObject({ id: 'PSVC1' });
  });

  it('makes no answer within timeoutMs retryable', async () => {
    pd.hangNext();
    const error = await upstreamError(rest({ timeoutMs: 100 }).listOncalls('PEP1'));
    expect([error.kind, error.status]).toEqual(['retryable', undefined]);
    expect(error.message).toContain('100 ms');
    expect(pd.state.requests).toHaveLength(1);
  });

  it('rejects a 2xx body of the wrong shape as invalid, naming method and path', async () => {
    pd.replyNext({ status: 200, body: { oncalls: [{ escalation_level: 'one' }], more: false } });
    const error = await upstreamError(rest().listOncalls('PEP1'));
    expect([error.kind, error.status]).toEqual(['invalid', 200]);
    expect(error.message).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/oncalls/);
    pd.replyNext({ status: 201, body: '<html>proxy</html>' });
    const html = await upstreamError(
      rest().createIncident({ serviceId: 'PSVC1', title: 't', urgency: 'high', incidentKey: 'k' }),
    );
    expect(html.kind).toBe('invalid');
  });
});

describe('PagerDuty Events', () => {
  it('enqueues a trigger (202) with payload and links', async () => {
    const links = [{ href: 'https://failsafe.example.com/i/1', text: 'Incident' }];
    const accepted = pd.nextEvent();
    const result = await events().enqueue({ ...trigger('fs-1'), links, customDetails: { window: '1h' } });
    expect(result).toEqual({ dedupKey: 'fs-1' });
    expect(await accepted).toMatchObject({
      event_action: 'trigger',
      payload: { severity: 'critical', source: 'failsafe', custom_details: { window: '1h' } },
      links,
    });
  });

  it('folds triggers with the same dedup_key into one alert until resolved', async () => {
    await events().enqueue(trigger('fs-dup'));
    await events().enqueue(trigger('fs-dup'));
    expect(pd.state.alerts).toEqual([expect.objectContaining({ dedupKey: 'fs-dup', triggers: 2 })]);
    await events().enqueue({ ...trigger('fs-dup'), action: 'resolve' });
    expect(pd.state.alerts[0]?.status).toBe('resolved');
    expect(pd.state.events[2]?.payload).toBeUndefined();
  });

  it('makes 400 invalid without echoing the routing key', async () => {
    const error = await upstreamError(events().enqueue({ ...trigger('fs-2'), routingKey: 'too-short-key' }));
    expect([error.kind, error.status]).toEqual(['invalid', 400]);
    expect(error.message).toContain('routing_key');
    expect(error.message).not.toContain('too-short-key');
  });

  it('makes 429 retryable with the wait', async () => {
    pd.failNext(1, { status: 429, retryAfterSeconds: 2 });
    const error = await upstreamError(events().enqueue(trigger('fs-3')));
    expect([error.kind, error.retryAfterMs]).toEqual(['retryable', 2_000]);
  });

  it('hashes dedup keys over 255 characters deterministically', async () => {
    const long = `alert/${'x'.repeat(300)}`;
    const first = await events().enqueue(trigger(long));
    const second = await events().enqueue(trigger(long));
    expect(first.dedupKey).toMatch(/^[0-9a-f]{64}$/);
    expect(second.dedupKey).toBe(first.dedupKey);
    expect(normalizeDedupKey(`${long}y`)).not.toBe(first.dedupKey);
    expect(normalizeDedupKey('x'.repeat(255))).toBe('x'.repeat(255));
    expect(pd.state.alerts).toHaveLength(1);
  });

  it('drops custom details rather than send an event over 512 KB', async () => {
    await events().enqueue({ ...trigger('fs-big'), customDetails: { log: 'y'.repeat(600 * 1024) } });
    expect(pd.state.events[0]?.payload?.custom_details).toEqual({
      note: 'custom details dropped: the event exceeded 512 KB',
    });
  });
});
