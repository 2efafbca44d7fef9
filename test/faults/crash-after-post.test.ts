// Fault 2 of the suite: main.ts, a child process, SIGKILLs itself between an effect reaching
// Slack and the record of it (FAILSAFE_CRASH_AT=effect-performed:<key>). The restarted process
// finds what the dead one did by the effect key in the message's metadata, or by the channel's
// name and creator, and records it: one message, one DM, one channel, counted as the requests
// the fake Slack received.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeMessage } from '../../src/sandbox/fakes/slack-state.ts';
import { type AppProcess, startAppProcess } from '../support/app-process.ts';
import { editedCatalog } from '../support/catalog.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { type Fakes, genericAlert, postAlert, startFakes, testEnv } from '../support/harness.ts';
import { waitForQueueIdle } from '../support/queue.ts';
import { waitUntil } from '../support/wait.ts';

let catalog: string;
const running: AppProcess[] = [];
const cleanup: (() => Promise<void>)[] = [];

beforeAll(async () => {
  catalog = await editedCatalog((text) =>
    text.replace('incident_channels: false', 'incident_channels: true'),
  );
});
afterAll(async () => {
  await Promise.all(running.map((p) => p.stop()));
  for (const close of cleanup.reverse()) await close();
});

async function world(): Promise<{ database: TestDatabase; fakes: Fakes }> {
  const database = await createTestDatabase();
  const fakes = await startFakes();
  cleanup.push(
    () => database.drop(),
    () => fakes.close(),
  );
  return { database, fakes };
}

/** main.ts on `w`, with leases of 2 s so a dead process's work is taken over within seconds. */
async function start(w: { database: TestDatabase; fakes: Fakes }, crashAt?: string): Promise<AppProcess> {
  const app = await startAppProcess(
    testEnv(w.database.url, w.fakes, {
      FAILSAFE_CONFIG: catalog,
      FAILSAFE_TEST_LEASE_SECONDS: '2',
      ...(crashAt ? { FAILSAFE_CRASH_AT: crashAt } : {}),
    }),
  );
  running.push(app);
  return app;
}

/** Every message in the fake workspace whose metadata names an effect key starting with `prefix`. */
function ours(fakes: Fakes, prefix: string): FakeMessage[] {
  return [...fakes.slack.state.messages.values()]
    .flat()
    .filter((m) => String(m.metadata?.event_payload.key ?? '').startsWith(prefix));
}

/** The chat.postMessage requests for effects whose key starts with `prefix` that Slack took. */
const posts = (fakes: Fakes, prefix: string) =>
  fakes.slack.state.calls.filter((c) => {
    const key = (c.args.metadata as { event_payload?: { key?: unknown } } | undefined)?.event_payload?.key;
    return c.method === 'chat.postMessage' && c.response?.body.ok && String(key ?? '').startsWith(prefix);
  }).length;

async function incident(database: TestDatabase) {
  const [row] = await database.query<{ id: string; slack_ts: string | null; channel_id: string | null }>(
    'SELECT id, slack_ts, channel_id FROM incident',
  );
  return row;
}

describe('a SIGKILL after Slack has the effect and before it is recorded', () => {
  it('leaves one incident message, which the restarted process adopts, and the page DM still goes out', async () => {
    const w = await world();
    const crashing = await start(w, 'effect-performed:slack-post:');
    expect((await postAlert(crashing, 'generic', genericAlert('crash-1'))).status).toBe(202);
    expect(await crashing.ended).toEqual({ code: null, signal: 'SIGKILL' });
    // The dead process posted and recorded nothing; no DM yet.
    expect(ours(w.fakes, 'slack-post:')).toHaveLength(1);
    expect((await incident(w.database))?.slack_ts).toBeNull();
    expect(ours(w.fakes, 'page-dm:')).toHaveLength(0);

    await start(w);
    await waitUntil(
      () => incident(w.database),
      (row) => row?.slack_ts != null,
      { what: 'the adopted message recorded', timeoutMs: 30_000 },
    );
    await waitForQueueIdle({ database: w.database });
    const [message] = ours(w.fakes, 'slack-post:');
    expect(ours(w.fakes, 'slack-post:')).toHaveLength(1);
    expect(posts(w.fakes, 'slack-post:')).toBe(1);
    expect((await incident(w.database))?.slack_ts).toBe(message?.ts);
    // The DM, an effect of its own, is sent by the process that adopted the post.
    expect(ours(w.fakes, 'page-dm:')).toHaveLength(1);
  }, 90_000);

  it('sends the page DM once when the crash comes after the DM reached Slack', async () => {
    const w = await world();
    const crashing = await start(w, 'effect-performed:page-dm:');
    expect((await postAlert(crashing, 'generic', genericAlert('crash-2'))).status).toBe(202);
    expect(await crashing.ended).toEqual({ code: null, signal: 'SIGKILL' });
    const [dm] = ours(w.fakes, 'page-dm:');
    expect(dm).toBeDefined();

    await start(w);
    await waitUntil(
      () =>
        w.database.query("SELECT 1 FROM outbound_effect WHERE key LIKE 'page-dm:%' AND done_at IS NOT NULL"),
      (rows) => rows.length === 1,
      { what: 'the DM recorded', timeoutMs: 30_000 },
    );
    await waitForQueueIdle({ database: w.database });
    expect(ours(w.fakes, 'page-dm:')).toHaveLength(1);
    expect(posts(w.fakes, 'page-dm:')).toBe(1);
    expect(ours(w.fakes, 'slack-post:')).toHaveLength(1);
  }, 90_000);

  it('finds the incident channel it created instead of making a second with a -2 name', async () => {
    const w = await world();
    const crashing = await start(w, 'effect-performed:incident-channel:');
    expect((await postAlert(crashing, 'generic', genericAlert('crash-3'))).status).toBe(202);
    expect(await crashing.ended).toEqual({ code: null, signal: 'SIGKILL' });
    const made = () => [...w.fakes.slack.state.names.entries()].filter(([, name]) => name.startsWith('inc-'));
    expect(made()).toHaveLength(1);

    await start(w);
    await waitUntil(
      () => incident(w.database),
      (row) => row?.channel_id != null,
      { what: 'the adopted channel recorded', timeoutMs: 30_000 },
    );
    await waitForQueueIdle({ database: w.database });
    const [[id, name] = []] = made();
    expect(made()).toHaveLength(1);
    expect(name).not.toMatch(/-2$/);
    expect((await incident(w.database))?.channel_id).toBe(id);
    expect(ours(w.fakes, 'incident-channel-summary:')).toHaveLength(1);
    expect(w.fakes.slack.state.pins.get(id as string)?.size).toBe(1);
  }, 90_000);
});
