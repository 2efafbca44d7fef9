// Events API deliveries survive a crash mid-event: main.ts runs as a child process armed with
// FAILSAFE_CRASH_AT=event-after-store, so it SIGKILLs itself after storing an event and before
// Slack has its 200. Slack (the fake) got no 2xx, so it retries; the retry reaches the
// restarted process, and the 📌 and the edit are on the timeline exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppProcess, startAppProcess } from '../../support/app-process.ts';
import { editedCatalog } from '../../support/catalog.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { type Fakes, startFakes, testEnv } from '../../support/harness.ts';
import { sendCommand } from '../../support/slack.ts';
import { TEST_SIGNING_SECRET } from '../../support/slack-request.ts';
import { waitUntil } from '../../support/wait.ts';

let database: TestDatabase;
let fakes: Fakes;
let catalog: string;
const running: AppProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  fakes = await startFakes();
  catalog = await editedCatalog((text) =>
    text.replace('incident_channels: false', 'incident_channels: true'),
  );
});
afterAll(async () => {
  await Promise.all(running.map((p) => p.stop()));
  await fakes?.close();
  await database?.drop();
});

/** A Failsafe process on the shared database and fakes; Slack's events go to it from now on. */
async function start(crashAt?: string): Promise<AppProcess> {
  const extra: Record<string, string> = { FAILSAFE_CONFIG: catalog };
  if (crashAt) extra.FAILSAFE_CRASH_AT = crashAt;
  const app = await startAppProcess(testEnv(database.url, fakes, extra));
  running.push(app);
  fakes.slack.controls.setEventTarget(`${app.url}/slack/events`, TEST_SIGNING_SECRET);
  return app;
}

const timeline = (incidentId: string, kind: string) =>
  database.query<{ text: string; data: Record<string, unknown> }>(
    'SELECT text, data FROM timeline_entry WHERE incident_id = $1 AND kind = $2',
    [incidentId, kind],
  );

const storedEvent = (eventId: string) =>
  database.query<{ handled: boolean; payload: unknown }>(
    'SELECT handled_at IS NOT NULL AS handled, payload FROM slack_event WHERE event_id = $1',
    [eventId],
  );

describe('an Events API delivery when the process dies after storing it', () => {
  it('is retried by Slack onto the restarted process: the 📌 and the edit reach the timeline once', async () => {
    // An incident channel with one message in it, recorded while nothing crashes.
    const setup = await start();
    await sendCommand({ fakes, app: setup }, '/ai-incident', 'ai-search-summaries sev1 Stale answers', {
      user: 'U0SAM',
    });
    const [incident] = await waitUntil(
      () =>
        database.query<{ id: string; channel_id: string | null }>(
          "SELECT id, channel_id FROM incident WHERE feature_key = 'ai-search-summaries'",
        ),
      (rows) => rows[0]?.channel_id != null,
      { what: 'the incident channel', timeoutMs: 20_000 },
    );
    const channel = incident?.channel_id as string;
    const incidentId = incident?.id as string;
    const said = await fakes.slack.controls.userSays(channel, 'U0ANA', 'Root cause: stale embeddings');
    await waitUntil(
      () => timeline(incidentId, 'slack.message'),
      (rows) => rows.length === 1,
      { what: 'the message on the timeline' },
    );
    await setup.stop('SIGKILL');

    // The 📌 kills its process between the store and the answer.
    const crashing = await start('event-after-store');
    const reaction = await fakes.slack.controls.react('U0SAM', channel, said.message.ts, 'pushpin');
    expect(await crashing.ended).toEqual({ code: null, signal: 'SIGKILL' });
    const pin = reaction.delivery;
    expect(pin?.delivered).toBe(false);
    expect(pin?.attempts.every((a) => a.status === 'connection_failed')).toBe(true);
    // Stored before the crash: what the retry finds.
    expect(await storedEvent(pin?.eventId as string)).toMatchObject([
      { handled: false, payload: { type: 'reaction_added', reaction: 'pushpin' } },
    ]);

    // So does the edit, in a process of its own.
    const crashingAgain = await start('event-after-store');
    const edit = (await fakes.slack.controls.userEdits(channel, said.message.ts, 'Root cause: stale index'))
      .delivery;
    expect(await crashingAgain.ended).toEqual({ code: null, signal: 'SIGKILL' });
    expect(edit?.delivered).toBe(false);
    expect(await timeline(incidentId, 'slack.key_message')).toHaveLength(0);
    expect(await timeline(incidentId, 'slack.message_edited')).toHaveLength(0);

    // Restarted without the crash point, Slack's next retries (X-Slack-Retry-Num) land.
    await start();
    for (const lost of [pin, edit]) {
      const retry = await fakes.slack.controls.redeliver(lost?.body as string, 1, 'connection_failed');
      expect(retry.delivered).toBe(true);
    }
    await waitUntil(
      async () => [
        ...(await storedEvent(pin?.eventId as string)),
        ...(await storedEvent(edit?.eventId as string)),
      ],
      (rows) => rows.length === 2 && rows.every((r) => r.handled),
      { what: 'both events handled' },
    );
    // A later retry of each, and the queue idle, before counting.
    for (const lost of [pin, edit]) {
      const again = await fakes.slack.controls.redeliver(lost?.body as string, 2, 'http_timeout');
      expect(again.delivered).toBe(true);
    }
    await waitUntil(
      () =>
        database.query(
          "SELECT 1 FROM pgboss.job WHERE name = 'slack-event' AND state IN ('created', 'retry', 'active')",
        ),
      (pending) => pending.length === 0,
      { what: 'the slack-event queue to be idle' },
    );
    const keys = await timeline(incidentId, 'slack.key_message');
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ text: 'Root cause: stale embeddings', data: { markedBy: 'U0SAM' } });
    const edits = await timeline(incidentId, 'slack.message_edited');
    expect(edits).toHaveLength(1);
    expect(edits[0]).toMatchObject({
      text: 'Root cause: stale index',
      data: { previous: 'Root cause: stale embeddings' },
    });
  }, 90_000);
});
