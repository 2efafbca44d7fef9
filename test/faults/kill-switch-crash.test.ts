// Fault 3 of the suite: main.ts, a child process, SIGKILLs itself in the middle of a kill-switch
// flip, between its verdict and its line, and inside a ramp step (FAILSAFE_CRASH_AT), against a
// real unleash-server. After a restart the flag ends where it was meant to, each line is in the
// channel once (counted as the chat.postMessage requests the fake Slack took), and a ramp goes
// on to 100%.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppProcess, startAppProcess } from '../support/app-process.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { type Fakes, startFakes, testEnv } from '../support/harness.ts';
import { waitForQueueIdle } from '../support/queue.ts';
import { commandReplyOrModal, lastView, submitView } from '../support/slack.ts';
import { type RealUnleash, startUnleash } from '../support/unleash.ts';
import { waitUntil } from '../support/wait.ts';

const FLAG = 'ai-support-bot';
const running: AppProcess[] = [];
const cleanup: (() => Promise<void>)[] = [];
// One unleash-server for the file (a second in one process collides in prom-client's registry);
// each test sets the flag to what it needs, and has its own database and fakes.
let unleash: RealUnleash;

beforeAll(async () => {
  unleash = await startUnleash();
  cleanup.push(() => unleash.stop());
  await unleash.createFlag(FLAG);
});
afterAll(async () => {
  await Promise.all(running.map((p) => p.stop()));
  for (const close of cleanup.reverse()) await close();
});

interface World {
  database: TestDatabase;
  fakes: Fakes;
  unleash: RealUnleash;
}

async function world(): Promise<World> {
  const [database, fakes] = await Promise.all([createTestDatabase(), startFakes()]);
  cleanup.push(
    () => database.drop(),
    () => fakes.close(),
  );
  return { database, fakes, unleash };
}

/** main.ts on `w`, with 2 s leases so a dead process's jobs and claims come back within seconds. */
/** `watch: false` leaves out UNLEASH_CLIENT_TOKEN, so no kill can be confirmed: it ends unverified. */
async function start(w: World, crashAt?: string, { watch = true } = {}): Promise<AppProcess> {
  const app = await startAppProcess(
    testEnv(w.database.url, w.fakes, {
      UNLEASH_URL: w.unleash.url,
      UNLEASH_ADMIN_TOKEN: w.unleash.adminToken,
      ...(watch ? { UNLEASH_CLIENT_TOKEN: w.unleash.clientTokens } : {}),
      FAILSAFE_TEST_LEASE_SECONDS: '2',
      ...(crashAt ? { FAILSAFE_CRASH_AT: crashAt } : {}),
    }),
  );
  running.push(app);
  return app;
}

const production = async (w: World) => (await w.unleash.flag(FLAG)).find((e) => e.name === 'production');

/** The chat.postMessage requests Slack took whose text contains `includes`. */
const posts = (w: World, includes: string) =>
  w.fakes.slack.state.calls.filter(
    (c) => c.method === 'chat.postMessage' && c.response?.body.ok && String(c.args.text).includes(includes),
  ).length;

const operation = async (w: World) =>
  (
    await w.database.query<{ state: string; step_index: number }>(
      'SELECT state, step_index FROM flag_operation ORDER BY created_at DESC LIMIT 1',
    )
  )[0];

const auditCount = async (w: World, action: string, result: string) =>
  (
    await w.database.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM kill_switch_audit WHERE action = $1 AND result = $2',
      [action, result],
    )
  )[0]?.n;

/** Turns the flag on or off in production straight through the Admin API. */
async function turn(w: World, to: 'on' | 'off'): Promise<void> {
  const res = await fetch(
    `${w.unleash.url}/api/admin/projects/default/features/${FLAG}/environments/production/${to}`,
    { method: 'POST', headers: { authorization: w.unleash.adminToken } },
  );
  expect(res.status).toBe(200);
}

const KILLED = `*${FLAG}* is OFF in production since`;

/** Kills the flag through the modal on a process armed to die at `crashAt`. */
async function killUntilCrash(w: World, crashAt: string, options: { watch?: boolean } = {}): Promise<void> {
  await turn(w, 'on');
  const crashing = await start(w, crashAt, options);
  const env = { app: crashing, fakes: w.fakes };
  expect(await commandReplyOrModal(env, '/ai-kill', `${FLAG} refunds look wrong`)).toBeNull();
  const submitted = await submitView(env, lastView(env), { reason: { reason_input: 'refunds look wrong' } });
  expect(submitted.status).toBe(200);
  expect(await crashing.ended).toEqual({ code: null, signal: 'SIGKILL' });
  expect((await production(w))?.enabled).toBe(false);
}

/** After the restart: off, confirmed, said once and audited once, nothing said about pending. */
async function expectKillConfirmed(w: World): Promise<void> {
  await start(w);
  await waitUntil(
    async () => posts(w, KILLED),
    (n) => n > 0,
    { what: 'the confirmation line', timeoutMs: 30_000 },
  );
  await waitForQueueIdle({ database: w.database });
  expect(posts(w, KILLED)).toBe(1);
  expect(posts(w, FLAG)).toBe(1);
  expect((await production(w))?.enabled).toBe(false);
  expect(await operation(w)).toMatchObject({ state: 'confirmed' });
  expect(await auditCount(w, 'kill', 'succeeded')).toBe(1);
  expect(await auditCount(w, 'kill', 'confirmed')).toBe(1);
}

const STEP_1 = `*${FLAG}* restore step 1 of 3: ON for 10%`;
const STEP_2 = `*${FLAG}* restore step 2 of 3: ON for 50%`;
const DONE = `*${FLAG}* is fully back ON in production (100%)`;

/** Ramps 10 → 50 → 100 with 1 s holds on a process armed to die at `crashAt` in step 2. */
async function rampUntilCrash(w: World, crashAt: string): Promise<void> {
  await turn(w, 'off');
  const crashing = await start(w, crashAt);
  const reply = await commandReplyOrModal(
    { app: crashing, fakes: w.fakes },
    '/ai-kill',
    `restore ${FLAG} --ramp 10,50,100 --hold 1s`,
  );
  expect(reply).toContain(`Restoring \`${FLAG}\` in production: 10% → 50% → 100%`);
  expect(await crashing.ended).toEqual({ code: null, signal: 'SIGKILL' });
  expect(posts(w, STEP_1)).toBe(1);
  expect(posts(w, STEP_2)).toBe(0);
  // It died inside step 2: Unleash has 50% whatever the database says.
  expect(await production(w)).toMatchObject({ enabled: true, rollout: 50 });
}

/** After the restart: the ramp reaches 100%, each step said once, each step audited once. */
async function expectRampFinished(w: World): Promise<void> {
  await start(w);
  await waitUntil(
    async () => posts(w, DONE),
    (n) => n > 0,
    { what: 'the ramp to reach 100%', timeoutMs: 30_000 },
  );
  await waitForQueueIdle({ database: w.database });
  expect([posts(w, STEP_1), posts(w, STEP_2), posts(w, DONE)]).toEqual([1, 1, 1]);
  expect(await production(w)).toMatchObject({ enabled: true, rollout: 100 });
  expect(await operation(w)).toMatchObject({ state: 'done', step_index: 3 });
  expect(await auditCount(w, 'flag.ramp_step', 'succeeded')).toBe(3);
}

describe('a SIGKILL in the middle of a kill-switch change', () => {
  it('during the flip, after Unleash turned it off and before the record: off, one confirmation line', async () => {
    const w = await world();
    await killUntilCrash(w, 'effect-performed:flag-off:');
    expect(await operation(w)).toMatchObject({ state: 'pending' });
    await expectKillConfirmed(w);
  }, 60_000);

  it('after the SDKs confirmed it off and before the line: the restarted process says it, once', async () => {
    const w = await world();
    await killUntilCrash(w, 'kill-verdict:confirmed:');
    expect(await operation(w)).toMatchObject({ state: 'confirmed' });
    expect(posts(w, KILLED)).toBe(0);
    await expectKillConfirmed(w);
  }, 60_000);

  it('after a kill is recorded unverified and before the line: said once, and the owner paged once', async () => {
    const w = await world();
    await killUntilCrash(w, 'kill-verdict:unverified:', { watch: false });
    expect(await operation(w)).toMatchObject({ state: 'unverified' });
    const warning = 'SDKs still did not see it off';
    expect(posts(w, warning)).toBe(0);
    await start(w, undefined, { watch: false });
    const ownerPages = () =>
      w.fakes.pd.state.requests.filter(
        (r) =>
          r.method === 'POST' &&
          r.path === '/incidents' &&
          String((r.body as { incident?: { incident_key?: unknown } }).incident?.incident_key).startsWith(
            'failsafe-kill-unverified-',
          ),
      ).length;
    await waitUntil(
      async () => ownerPages(),
      (n) => n > 0,
      { what: "the owner's page", timeoutMs: 30_000 },
    );
    await waitForQueueIdle({ database: w.database });
    expect(posts(w, warning)).toBe(1);
    expect(ownerPages()).toBe(1);
    expect((await production(w))?.enabled).toBe(false);
    expect(await auditCount(w, 'kill', 'unverified')).toBe(1);
  }, 60_000);

  it('after a ramp step is recorded and before its line: the ramp goes on to 100%, each line once', async () => {
    const w = await world();
    await rampUntilCrash(w, 'ramp-step:1:recorded');
    expect(await operation(w)).toMatchObject({ state: 'ramping', step_index: 2 });
    await expectRampFinished(w);
  }, 60_000);

  it('after Unleash took a ramp step and before it is recorded: the step is taken again, once', async () => {
    const w = await world();
    await rampUntilCrash(w, 'ramp-step:1:unleash');
    expect(await operation(w)).toMatchObject({ state: 'ramping', step_index: 1 });
    await expectRampFinished(w);
  }, 60_000);
});
