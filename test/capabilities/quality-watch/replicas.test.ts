// Two replicas on one database, both armed by the measurements they take: each evaluation slot
// runs once between them, and a watch out of band fires one incident, one page and one
// timeline entry, not one per replica.
import { beforeAll, describe, expect, it } from 'vitest';
import { catalogFile } from '../../support/catalog.ts';
import { ALERT_TOKEN, useReplicas } from '../../support/harness.ts';
import { waitUntil } from '../../support/wait.ts';
import { addWatches } from './helpers.ts';

const extra: Record<string, string> = {};
const replicas = useReplicas({ extra });

beforeAll(async () => {
  extra.FAILSAFE_CONFIG = await catalogFile((t) => {
    addWatches(t, { conversation_turns: { band: { max: 12 }, for: '1m', notify: 'page' } });
    t.defaults.watch.evaluate_every = '1s';
  });
  await replicas.launch();
  await replicas.launch();
});

const post = (url: string, batchId: string, value: number, at: Date) =>
  fetch(`${url}/signals`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ALERT_TOKEN}` },
    body: JSON.stringify({
      batch_id: batchId,
      measurements: [
        { feature: 'ai-support-bot', at: at.toISOString(), metric: 'conversation_turns', value },
      ],
    }),
  });

describe('two replicas', () => {
  it('evaluate each slot once and fire one incident, one page, one timeline entry', async () => {
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    // Three complete minutes far over the band, each replica taking some of them.
    for (let i = 3; i >= 1; i--)
      for (const [n, app] of replicas.apps.entries())
        expect(
          (await post(app.url, `r${n}-${i}`, 20 + n, new Date(minute - i * 60_000 + 10_000))).status,
        ).toBe(202);
    const incidents = await waitUntil(
      () =>
        replicas.database.query<{ id: string; title: string }>(
          "SELECT id, title FROM incident WHERE feature_key = 'ai-support-bot'",
        ),
      (rows) => rows.length > 0,
      { timeoutMs: 20_000 },
    );
    // Let several more slots run on both replicas before counting.
    await waitUntil(
      async () =>
        (
          await replicas.database.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'watch-evaluate' AND state = 'completed'",
          )
        )[0]?.n ?? 0,
      (n) => n >= 5,
      { timeoutMs: 20_000 },
    );
    expect(incidents).toHaveLength(1);
    expect(incidents[0]?.title).toMatch(
      /^ai-support-bot: conversation turns 2\d(\.\d+)? for \d+ min \(normal at most 12\)\.$/,
    );
    const [slots] = await replicas.database.query<{ jobs: number; slots: number }>(
      `SELECT count(*)::int AS jobs, count(DISTINCT data->'data'->>'slot')::int AS slots FROM pgboss.job WHERE name = 'watch-evaluate'`,
    );
    expect(slots?.jobs).toBe(slots?.slots);
    const fired = await replicas.database.query(
      "SELECT 1 FROM timeline_entry WHERE kind = 'watch.fired' AND incident_id = $1",
      [incidents[0]?.id],
    );
    expect(fired).toHaveLength(1);
    const pages = await waitUntil(
      async () => replicas.fakes.pd.state.incidents.filter((i) => i.title.includes('conversation turns')),
      (list) => list.length > 0,
    );
    expect(pages).toHaveLength(1);
  });
});
