import { describe, expect, it } from 'vitest';
import { createIntakeBatcher } from '../../../src/capabilities/alert-intake/batcher.ts';
import type { NormalisedAlert } from '../../../src/capabilities/alert-intake/types.ts';
import type { Delivery } from '../../../src/store/ingest.ts';
import { useDatabase } from '../../support/database.ts';

const ctx = useDatabase({ poolSize: 4 });

function delivery(
  fingerprint: string,
  feature: string,
  body: unknown = { fingerprint },
): Delivery<NormalisedAlert> {
  return {
    kind: 'generic',
    requestId: fingerprint,
    body,
    alerts: [
      {
        alert: {
          source: 'generic',
          fingerprint,
          status: 'firing',
          feature,
          severity: 'warning',
          summary: fingerprint,
          description: null,
          labels: {},
          annotations: {},
          startsAt: new Date(),
          endsAt: null,
          generatorUrl: null,
        },
        route: { featureKey: feature, autoResolve: true },
      },
    ],
  };
}

describe('createIntakeBatcher', () => {
  it('commits every delivery submitted concurrently and gives each its own result', async () => {
    const batcher = createIntakeBatcher(ctx.handle.db);
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => batcher.submit(delivery(`b-${i}`, `feat-${i % 3}`))),
    );
    expect(results.map((r) => r.outcomes[0]?.alert.fingerprint)).toEqual(
      Array.from({ length: 60 }, (_, i) => `b-${i}`),
    );
    expect(results.filter((r) => r.opened.length === 1)).toHaveLength(3);
    const [row] = await ctx.database.query(
      "SELECT (SELECT count(*)::int FROM inbound_payload WHERE request_id LIKE 'b-%') AS payloads, (SELECT count(*)::int FROM alert WHERE fingerprint LIKE 'b-%') AS alerts",
    );
    expect(row).toEqual({ payloads: 60, alerts: 60 });
  });

  it('fails only the delivery the database refuses, not the others batched with it', async () => {
    const batcher = createIntakeBatcher(ctx.handle.db, { maxInFlight: 1 });
    // jsonb cannot hold U+0000: this body is refused by PostgreSQL.
    const poison = delivery('poison', 'feat-p', { text: 'a\u0000b' });
    const settled = await Promise.allSettled([
      batcher.submit(delivery('warmup', 'feat-p')),
      batcher.submit(delivery('ok-1', 'feat-p')),
      batcher.submit(poison),
      batcher.submit(delivery('ok-2', 'feat-p')),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const rows = await ctx.database.query(
      "SELECT fingerprint FROM alert WHERE fingerprint IN ('ok-1', 'ok-2', 'poison') ORDER BY fingerprint",
    );
    expect(rows.map((r) => r.fingerprint)).toEqual(['ok-1', 'ok-2']);
  });
});
