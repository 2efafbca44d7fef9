// The sandbox's fake Unleash, exercised through the real adapters: the Admin API client
// flips, ramps and reads events, and unleash-client (inside the watcher) sees the result.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFlagWatcher, type FlagWatcher } from '../../src/adapters/flags.ts';
import { UpstreamError } from '../../src/adapters/http.ts';
import { createUnleashAdmin, rolloutOf } from '../../src/adapters/unleash-admin.ts';
import { EXAMPLE_CATALOG } from '../../src/config/catalog-path.ts';
import { loadConfig } from '../../src/config/env.ts';
import { type FakeUnleash, startFakeUnleash } from '../../src/sandbox/fakes/unleash.ts';
import { startSandbox } from '../../src/sandbox/index.ts';
import { acceptsConnections, externalAddress } from '../support/net.ts';

let unleash: FakeUnleash;
let watcher: FlagWatcher;
let admin: ReturnType<typeof createUnleashAdmin>;

beforeAll(async () => {
  unleash = await startFakeUnleash({
    flags: [
      { project: 'default', flag: 'kill-me', environments: ['production', 'development'] },
      { project: 'default', flag: 'ramp-me', environments: ['production'] },
      { project: 'default', flag: 'status-codes', environments: ['production'] },
      { project: 'default', flag: 'events-a', environments: ['production'] },
      { project: 'default', flag: 'events-b', environments: ['production'] },
    ],
  });
  admin = createUnleashAdmin({ baseUrl: unleash.url, token: unleash.adminToken });
  watcher = createFlagWatcher({
    baseUrl: unleash.url,
    clientTokens: unleash.clientTokens,
    refreshIntervalMs: 100,
  });
});
afterAll(async () => {
  watcher?.close();
  await unleash?.close();
});

const ref = (flag: string, environment = 'production') => ({ project: 'default', flag, environment });
const clientGet = (token: string, headers: Record<string, string> = {}) =>
  fetch(`${unleash.url}/api/client/features`, { headers: { authorization: token, ...headers } });

describe('the Admin API, through createUnleashAdmin', () => {
  it('hands out one scoped client token per environment', () => {
    expect(unleash.clientTokens).toEqual([
      expect.stringMatching(/^default:development\.[0-9a-f]{32}$/),
      expect.stringMatching(/^default:production\.[0-9a-f]{32}$/),
    ]);
  });

  it('starts each flag on at 100% where listed, and off with no strategy elsewhere', async () => {
    const envs = await admin.getFlag(ref('ramp-me'));
    expect(envs.map((e) => [e.name, e.enabled, rolloutOf(e)])).toEqual([
      ['development', false, 100],
      ['production', true, 100],
    ]);
    expect(envs[1]?.strategies).toEqual([
      {
        id: expect.any(String),
        name: 'flexibleRollout',
        parameters: { rollout: '100', stickiness: 'default', groupId: 'ramp-me' },
        disabled: false,
        constraints: [],
        variants: [],
        segments: [],
        title: null,
      },
    ]);
  });

  it('turns an environment off, the SDK view follows, and the other environment is untouched', async () => {
    expect((await watcher.waitFor('production', 'kill-me', (v) => v.enabled, 5_000)).seen).toBe(true);
    const flippedAt = Date.now();
    await admin.setEnabled(ref('kill-me'), false);
    await admin.setEnabled(ref('kill-me'), false); // idempotent: no second event
    const seen = await watcher.waitFor('production', 'kill-me', (v) => !v.enabled, 5_000, flippedAt);
    expect(seen).toMatchObject({ seen: true, view: { enabled: false } });
    expect((await watcher.waitFor('development', 'kill-me', (v) => v.enabled, 5_000)).seen).toBe(true);
    const events = await admin.recentEvents('kill-me');
    expect(events[0]).toMatchObject({
      type: 'feature-environment-disabled',
      createdBy: 'failsafe-admin',
      environment: 'production',
    });
    expect(events[0]?.createdAt).toBeInstanceOf(Date);
    expect(events.filter((e) => e.type === 'feature-environment-disabled')).toHaveLength(1);
  });

  it('ramps an existing rollout with PUT, and adds one with POST where there is none', async () => {
    await admin.setRollout(ref('ramp-me'), 10);
    await admin.setRollout(ref('ramp-me', 'development'), 25);
    await admin.setEnabled(ref('ramp-me', 'development'), true);
    const envs = await admin.getFlag(ref('ramp-me'));
    expect(envs.map((e) => [e.name, e.enabled, rolloutOf(e), e.strategies.length])).toEqual([
      ['development', true, 25, 1],
      ['production', true, 10, 1],
    ]);
    const seen = await watcher.waitFor('production', 'ramp-me', (v) => v.rollout === 10, 5_000);
    expect(seen).toMatchObject({ seen: true, view: { enabled: true, rollout: 10 } });
    const types = (await admin.recentEvents('ramp-me')).slice(0, 3).map((e) => [e.type, e.environment]);
    expect(types).toEqual([
      ['feature-environment-enabled', 'development'],
      ['feature-strategy-add', 'development'],
      ['feature-strategy-update', 'production'],
    ]);
  });

  it('classifies a bad admin token as configuration without echoing it, and a client token too', async () => {
    const bad = createUnleashAdmin({ baseUrl: unleash.url, token: 'not-a-real-token' });
    const error = await bad.setEnabled(ref('kill-me'), false).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ kind: 'config', status: 401 });
    expect((error as Error).message).toContain('UNLEASH_ADMIN_TOKEN');
    expect((error as Error).message).not.toContain('not-a-real-token');
    const sdk = createUnleashAdmin({ baseUrl: unleash.url, token: unleash.clientTokens[0] });
    await expect(sdk.getFlag(ref('kill-me'))).rejects.toMatchObject({ kind: 'config', status: 403 });
  });

  it('classifies an unknown flag, project or environment as invalid', async () => {
    await expect(admin.getFlag(ref('no-such-flag'))).rejects.toMatchObject({ kind: 'invalid', status: 404 });
    await expect(admin.getFlag({ project: 'other', flag: 'kill-me' })).rejects.toMatchObject({ status: 404 });
    const staging = admin.setEnabled(ref('kill-me', 'staging'), false);
    await expect(staging).rejects.toMatchObject({ kind: 'invalid', status: 404 });
  });

  it('injects 429 with Retry-After and 5xx, then recovers; setDown answers 503', async () => {
    unleash.controls.failNext(1, { status: 429, retryAfterSeconds: 2 });
    const limited = await admin.getFlag(ref('status-codes')).catch((e: unknown) => e);
    expect(limited).toMatchObject({ kind: 'retryable', status: 429, retryAfterMs: 2_000 });
    unleash.controls.failNext(1, { status: 502 });
    await expect(admin.setEnabled(ref('status-codes'), false)).rejects.toMatchObject({ kind: 'retryable' });
    await admin.setEnabled(ref('status-codes'), false);
    unleash.controls.setDown(true);
    await expect(admin.getFlag(ref('status-codes'))).rejects.toMatchObject({
      kind: 'retryable',
      status: 503,
    });
    unleash.controls.setDown(false);
    expect(unleash.controls.flag('status-codes', 'production')?.enabled).toBe(false);
  });
});

describe('the raw API, where the adapters do not reach', () => {
  it('answers a current If-None-Match with 304, and changes the ETag only for its environment', async () => {
    const [development = '', production = ''] = unleash.clientTokens;
    const first = await clientGet(production);
    const etag = first.headers.get('etag') ?? '';
    expect(await first.json()).toMatchObject({ version: 2, query: { environment: 'production' } });
    expect((await clientGet(production, { 'if-none-match': etag })).status).toBe(304);
    await admin.setEnabled(ref('status-codes', 'development'), true);
    expect((await clientGet(production, { 'if-none-match': etag })).status).toBe(304);
    const devBody = (await (await clientGet(development)).json()) as { features: { name: string }[] };
    expect(devBody.features.map((f) => f.name)).toContain('status-codes');
    expect((await clientGet('nope')).status).toBe(401);
  });

  it('like Unleash 8, ignores ?feature= on /api/admin/events; /api/admin/events/{flag} filters', async () => {
    const get = async (path: string) => {
      const res = await fetch(`${unleash.url}${path}`, { headers: { authorization: unleash.adminToken } });
      return ((await res.json()) as { events: { featureName: string }[] }).events.map((e) => e.featureName);
    };
    await admin.setEnabled(ref('events-a'), false);
    await admin.setEnabled(ref('events-b'), false);
    expect(await get('/api/admin/events?feature=events-a')).toContain('events-b');
    expect(new Set(await get('/api/admin/events/events-a'))).toEqual(new Set(['events-a']));
  });

  it('answers unknown paths with 404 JSON and oversized bodies with 413', async () => {
    const headers = { authorization: unleash.adminToken, 'content-type': 'application/json' };
    const unknown = await fetch(`${unleash.url}/api/admin/nothing`, { headers });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ name: 'NotFoundError' });
    const path = '/api/admin/projects/default/features/kill-me/environments/production/strategies';
    const body = JSON.stringify({ name: 'default', parameters: { pad: 'x'.repeat(200_000) } });
    expect((await fetch(`${unleash.url}${path}`, { method: 'POST', headers, body })).status).toBe(413);
  });
});

describe('the sandbox', () => {
  const env = { FAILSAFE_CONFIG: EXAMPLE_CATALOG, FAILSAFE_ALERT_TOKEN: 'sandbox-test-alert-token' };

  it('runs its fakes on loopback only', async () => {
    const sandbox = await startSandbox(loadConfig(env));
    try {
      const external = externalAddress();
      const urls = [
        sandbox.slack.url,
        sandbox.pagerduty.url,
        sandbox.pagerduty.eventsUrl,
        sandbox.unleash?.url,
      ];
      for (const url of urls) {
        const { hostname, port } = new URL(url ?? '');
        expect(hostname).toBe('127.0.0.1');
        expect(await acceptsConnections('127.0.0.1', Number(port))).toBe(true);
        if (external) expect(await acceptsConnections(external, Number(port))).toBe(false);
      }
    } finally {
      await sandbox.close();
    }
  });

  it('serves every catalog flag from the fake when UNLEASH_URL is not set', async () => {
    const sandbox = await startSandbox(loadConfig(env));
    try {
      const { url = '', adminToken, clientToken = '' } = sandbox.config.unleash;
      expect(url).toBe(sandbox.unleash?.url);
      const flags = createUnleashAdmin({ baseUrl: url, token: adminToken });
      const envs = await flags.getFlag({ project: 'default', flag: 'ai-support-bot' });
      expect(envs.map((e) => [e.name, e.enabled])).toEqual([
        ['development', true],
        ['production', true],
      ]);
      expect(clientToken.split(',')).toEqual(sandbox.unleash?.clientTokens);
    } finally {
      await sandbox.close();
    }
  });

  it('leaves a configured Unleash alone', async () => {
    // A real setting turns the sandbox off unless it is asked for.
    const unleashEnv = {
      UNLEASH_URL: 'https://unleash.example.com',
      UNLEASH_ADMIN_TOKEN: 'real-admin',
      FAILSAFE_SANDBOX: '1',
    };
    const sandbox = await startSandbox(loadConfig({ ...env, ...unleashEnv }));
    await sandbox.close();
    expect(sandbox.unleash).toBeNull();
    expect(sandbox.config.unleash).toEqual({ url: 'https://unleash.example.com', adminToken: 'real-admin' });
  });
});
