// "2xx only after commit" and "503 when the database cannot take it", for alerts and signals.
// A deferred constraint trigger makes PostgreSQL refuse the transaction at COMMIT, the last
// moment it can fail: an answer sent before the commit would say 202 for data that is gone.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ALERT_TOKEN, genericAlert, postAlert, useRunningApp } from '../../support/harness.ts';
import { waitUntil } from '../../support/wait.ts';

const ctx = useRunningApp();

beforeAll(async () => {
  await ctx.database.query(`
    CREATE TABLE test_refuse_commit (on_table text PRIMARY KEY);
    CREATE FUNCTION test_refuse_commit() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM test_refuse_commit WHERE on_table = TG_TABLE_NAME) THEN
        RAISE EXCEPTION 'injected failure at commit';
      END IF;
      RETURN NULL;
    END $$;
    CREATE CONSTRAINT TRIGGER refuse_commit AFTER INSERT ON inbound_payload
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION test_refuse_commit();
    CREATE CONSTRAINT TRIGGER refuse_commit AFTER INSERT ON signal_batch
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION test_refuse_commit();
  `);
});
afterEach(async () => {
  await ctx.database.query('DELETE FROM test_refuse_commit');
});

const refuseCommitsOn = (table: string) =>
  ctx.database.query('INSERT INTO test_refuse_commit (on_table) VALUES ($1)', [table]);
const count = async (sql: string, params: unknown[] = []) =>
  Number((await ctx.database.query<{ n: string }>(sql, params))[0]?.n);
const pagesRequested = () =>
  ctx.fakes.pd.state.requests.filter((r) => r.method === 'POST' && r.path === '/incidents').length;

describe('alert intake', () => {
  it('answers 503 when the commit fails, stores and pages nothing, and 202 once it can commit', async () => {
    await refuseCommitsOn('inbound_payload');
    const before = pagesRequested();
    const refused = await postAlert(ctx.app, 'generic', genericAlert('commit-1'));
    expect(refused.status).toBe(503);
    expect(await refused.json()).toMatchObject({ error: 'unavailable' });
    const titled = "SELECT count(*) AS n FROM incident WHERE title LIKE '%(commit-1)%'";
    expect(await count(titled)).toBe(0);
    expect(await count("SELECT count(*) AS n FROM alert WHERE fingerprint = 'commit-1'")).toBe(0);

    // Alertmanager retries; the database takes it now.
    await ctx.database.query('DELETE FROM test_refuse_commit');
    expect((await postAlert(ctx.app, 'generic', genericAlert('commit-1'))).status).toBe(202);
    expect(await count(titled)).toBe(1);
    await waitUntil(
      async () => pagesRequested(),
      (n) => n === before + 1,
      { what: 'the page of the retried alert' },
    );
  });
});

describe('POST /signals', () => {
  const post = (batch: string) =>
    fetch(`${ctx.app.url}/signals`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ALERT_TOKEN}` },
      body: JSON.stringify({
        batch_id: batch,
        signals: [
          { feature: 'ai-search-summaries', at: new Date().toISOString(), good: 9, bad: 1, kind: 'eval' },
        ],
      }),
    });

  it('answers 503 when the commit fails and keeps nothing of the batch', async () => {
    await refuseCommitsOn('signal_batch');
    expect((await post('commit-b1')).status).toBe(503);
    expect(await count("SELECT count(*) AS n FROM signal_batch WHERE batch_id = 'commit-b1'")).toBe(0);
    expect(await count('SELECT coalesce(sum(good), 0) AS n FROM signal_minute')).toBe(0);
    await ctx.database.query('DELETE FROM test_refuse_commit');
    expect((await post('commit-b1')).status).toBeLessThan(300);
    expect(await count('SELECT coalesce(sum(good), 0) AS n FROM signal_minute')).toBe(9);
  });
});
