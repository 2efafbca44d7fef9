// The Unleash adapters against a real unleash-server: the Admin API client flips and ramps,
// and the SDK watcher sees the change the way applications do.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFlagWatcher, tokenEnvironment } from '../../src/adapters/flags.ts';
import { UpstreamError } from '../../src/adapters/http.ts';
import { createUnleashAdmin, rolloutOf } from '../../src/adapters/unleash-admin.ts';
import { type RealUnleash, startUnleash } from '../support/unleash.ts';

let unleash: RealUnleash;
let watcher: ReturnType<typeof createFlagWatcher>;

beforeAll(async () => {
  unleash = await startUnleash();
  watcher = createFlagWatcher({
    baseUrl: unleash.url,
    clientTokens: unleash.clientTokens.split(','),
    refreshIntervalMs: 200,
  });
});
afterAll(async () => {
  watcher?.close();
  await unleash?.stop();
});

const ref = (flag: string, environment = 'production') => ({ project: 'default', flag, environment });

describe('the Admin API client', () => {
  it('turns an environment off and the SDK view follows', async () => {
    await unleash.createFlag('adapter-off');
    const admin = createUnleashAdmin({ baseUrl: unleash.url, token: unleash.adminToken });
    const before = await watcher.waitFor('production', 'adapter-off', (v) => v.enabled, 10_000);
    expect(before.seen).toBe(true);
    const flippedAt = Date.now();
    await admin.setEnabled(ref('adapter-off'), false);
    const seen = await watcher.waitFor('production', 'adapter-off', (v) => !v.enabled, 10_000, flippedAt);
    expect(seen).toMatchObject({ seen: true, view: { enabled: false } });
    expect((await unleash.flag('adapter-off')).find((e) => e.name === 'production')?.enabled).toBe(false);
    // Development was not touched.
    expect((await unleash.flag('adapter-off')).find((e) => e.name === 'development')?.enabled).toBe(true);
  });

  it('sets the rollout percentage and reads it back', async () => {
    await unleash.createFlag('adapter-ramp', { production: false });
    const admin = createUnleashAdmin({ baseUrl: unleash.url, token: unleash.adminToken });
    await admin.setRollout(ref('adapter-ramp'), 10);
    await admin.setEnabled(ref('adapter-ramp'), true);
    const env = (await admin.getFlag(ref('adapter-ramp'))).find((e) => e.name === 'production');
    expect(env && rolloutOf(env)).toBe(10);
    const seen = await watcher.waitFor(
      'production',
      'adapter-ramp',
      (v) => v.enabled && v.rollout === 10,
      10_000,
    );
    expect(seen.seen).toBe(true);
    const events = await admin.recentEvents('adapter-ramp');
    expect(events[0]).toMatchObject({ type: 'feature-environment-enabled', environment: 'production' });
  });

  it("keeps the strategy's constraints when it changes the percentage", async () => {
    await unleash.createFlag('adapter-targeted', { production: true });
    const admin = createUnleashAdmin({ baseUrl: unleash.url, token: unleash.adminToken });
    const [strategy] =
      (await admin.getFlag(ref('adapter-targeted'))).find((e) => e.name === 'production')?.strategies ?? [];
    const constraint = {
      contextName: 'userId',
      operator: 'IN',
      values: ['beta-1'],
      caseInsensitive: false,
      inverted: false,
    };
    const put = await fetch(
      `${unleash.url}/api/admin/projects/default/features/adapter-targeted/environments/production/strategies/${strategy?.id}`,
      {
        method: 'PUT',
        headers: { authorization: unleash.adminToken, 'content-type': 'application/json' },
        body: JSON.stringify({
          name: 'flexibleRollout',
          parameters: strategy?.parameters,
          constraints: [constraint],
        }),
      },
    );
    expect(put.status).toBe(200);
    await admin.setRollout(ref('adapter-targeted'), 50);
    const after = (await admin.getFlag(ref('adapter-targeted'))).find((e) => e.name === 'production')
      ?.strategies[0];
    expect(after?.parameters.rollout).toBe('50');
    expect(after?.constraints).toEqual([
      expect.objectContaining({ contextName: 'userId', values: ['beta-1'] }),
    ]);
  });

  it("reads only the asked flag's events, even when another flag changed since", async () => {
    const admin = createUnleashAdmin({ baseUrl: unleash.url, token: unleash.adminToken });
    await unleash.createFlag('adapter-events-a', { production: true });
    await admin.setEnabled(ref('adapter-events-a'), false);
    await unleash.createFlag('adapter-events-b', { production: true });
    const events = await admin.recentEvents('adapter-events-a');
    expect(events[0]).toMatchObject({ type: 'feature-environment-disabled', environment: 'production' });
    expect(events.length).toBeGreaterThan(1);
  });

  it('classifies a bad token as configuration and names the variable, without echoing it', async () => {
    const admin = createUnleashAdmin({ baseUrl: unleash.url, token: 'not-a-real-token' });
    const error = await admin.setEnabled(ref('adapter-off'), false).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ kind: 'config', status: 401 });
    expect((error as Error).message).toContain('UNLEASH_ADMIN_TOKEN');
    expect((error as Error).message).not.toContain('not-a-real-token');
  });

  it('classifies an unknown flag as invalid', async () => {
    const admin = createUnleashAdmin({ baseUrl: unleash.url, token: unleash.adminToken });
    await expect(admin.getFlag(ref('no-such-flag'))).rejects.toMatchObject({ kind: 'invalid', status: 404 });
  });
});

describe('the SDK watcher', () => {
  it('reads the environment from a scoped client token', () => {
    expect(tokenEnvironment('default:production.abc')).toBe('production');
    expect(tokenEnvironment('*:*.abc')).toBeNull();
    expect(tokenEnvironment('opaque')).toBeNull();
  });

  it('gives up after the timeout with the last view when the change never comes', async () => {
    await unleash.createFlag('watch-timeout');
    expect((await watcher.waitFor('production', 'watch-timeout', (v) => v.enabled, 10_000)).seen).toBe(true);
    const result = await watcher.waitFor('production', 'watch-timeout', (v) => !v.enabled, 600);
    expect(result).toEqual({ seen: false, view: { enabled: true, rollout: 100 } });
  });
});
