// Error budget benchmark (issue #7): Failsafe on real PostgreSQL with fake Slack/PagerDuty,
// 100 features with an SLO, each sending one signal batch (3 kinds) per second for 60 s while
// burn rates are evaluated every 30 s over 30 days of seeded history. Two features burn fast
// and should page. Reports ingest throughput and latency, evaluation time per cycle, and the
// rows written per minute (signal tables and everything else).

import { writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { startFakePagerDuty } from '../src/sandbox/fakes/pagerduty.ts';
import { startFakeSlack } from '../src/sandbox/fakes/slack.ts';
import { createTestDatabase } from '../test/support/database.ts';
import { childEnv, percentile, pool, startChild } from './lib.ts';

const TOKEN = 'bench-alert-token-0123456789';
const FEATURES = 100;
const SECONDS = Number(process.env.BENCH_BUDGET_SECONDS ?? 60);
const BURNING = new Set(['f7', 'f42']);
const key = (i: number) => `f${i}`;

function catalogYaml(): string {
  const feature = (k: string) =>
    `  - key: ${k}\n    name: Bench ${k}\n    owner: { slack: U0JANE, email: jane@example.com }\n` +
    `    pagerduty: { service: PSVC1, escalation_policy: PEP1 }\n    slack: { alerts_channel: C0ALERTS }\n` +
    '    slo: { target: 99%, kinds: [eval, guardrail, thumbs_down] }\n';
  return `defaults: { time_zone: UTC, error_budget: { evaluate_every: 30s } }\nfeatures:\n${Array.from({ length: FEATURES }, (_, i) => feature(key(i))).join('')}`;
}

/** 30 days of hours and 6 hours of minutes per feature: what a month of traffic leaves behind. */
async function seedHistory(database: Awaited<ReturnType<typeof createTestDatabase>>, now: number) {
  const hour = Math.floor(now / 3_600_000) * 3_600_000;
  await database.query(
    `INSERT INTO signal_hour (feature_key, hour, kind, good, bad)
     SELECT 'f' || f, to_timestamp($1 / 1000.0) - h * interval '1 hour', k, 6000, 20
     FROM generate_series(0, $2 - 1) f, generate_series(1, 30 * 24) h, unnest(ARRAY['eval', 'guardrail', 'thumbs_down']) k`,
    [hour, FEATURES],
  );
  await database.query(
    `INSERT INTO signal_minute (feature_key, minute, kind, good, bad)
     SELECT 'f' || f, to_timestamp($1 / 1000.0) - m * interval '1 minute', k, 100, 0
     FROM generate_series(0, $2 - 1) f, generate_series(1, 6 * 60) m, unnest(ARRAY['eval', 'guardrail', 'thumbs_down']) k`,
    [Math.floor(now / 60_000) * 60_000, FEATURES],
  );
}

/**
 * New rows by counting them (exact); updates from pg_stat, which backends flush when idle at
 * most 10 s later, so it is read after a pause.
 */
async function writes(database: Awaited<ReturnType<typeof createTestDatabase>>) {
  const [count] = await database.query<{ n: string }>(
    `SELECT ((SELECT count(*) FROM signal_batch) + (SELECT count(*) FROM signal_minute)
             + (SELECT count(*) FROM signal_hour))::text AS n`,
  );
  const stats = await database.query<{ signal: boolean; ins: string; upd: string }>(
    `SELECT relname LIKE 'signal_%' AS signal, sum(n_tup_ins)::text AS ins, sum(n_tup_upd)::text AS upd
     FROM pg_stat_user_tables GROUP BY 1`,
  );
  const of = (signal: boolean) => stats.find((r) => r.signal === signal) ?? { ins: '0', upd: '0' };
  return { signalRows: count?.n ?? '0', signalUpdates: of(true).upd, otherInserts: of(false).ins };
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function benchErrorBudget(): Promise<Record<string, number>> {
  const database = await createTestDatabase();
  const [pd, slack] = await Promise.all([startFakePagerDuty(), startFakeSlack()]);
  const catalogPath = path.join(tmpdir(), `failsafe-bench-budget-${process.pid}.yml`);
  await writeFile(catalogPath, catalogYaml());
  await seedHistory(database, Date.now());
  await pause(11_000); // the seed's statistics settle before the first reading
  const app = await startChild(childEnv(database.url, { slack, pd }, { catalogPath, alertToken: TOKEN }));
  const cycles: number[] = [];
  createInterface({ input: app.process.stdout as NonNullable<typeof app.process.stdout> }).on(
    'line',
    (line) => {
      if (!line.includes('"error budgets evaluated"')) return;
      cycles.push(Number((JSON.parse(line) as { ms: number }).ms));
    },
  );
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const target = new URL(`${app.url}/signals`);
  const latencies: number[] = [];
  let failed = 0;
  const send = (feature: string, batch: string): Promise<void> =>
    new Promise((resolve) => {
      const at = new Date().toISOString();
      const bad = BURNING.has(feature) ? 40 : 0;
      const body = JSON.stringify({
        batch_id: batch,
        signals: ['eval', 'guardrail', 'thumbs_down'].map((kind) => ({
          feature,
          kind,
          at,
          good: 100 - bad,
          bad,
        })),
      });
      const t0 = performance.now();
      const req = http.request(target, {
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${TOKEN}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      });
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 202) latencies.push(performance.now() - t0);
          else failed++;
          resolve();
        });
      });
      req.on('error', () => {
        failed++;
        resolve();
      });
      req.end(body);
    });
  try {
    const before = await writes(database);
    const inflight: Promise<void>[] = [];
    const start = performance.now();
    // One batch per feature per second, spread evenly over the second.
    for (let k = 0; k < SECONDS * FEATURES; k++) {
      const wait = start + (k * 1000) / FEATURES - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      inflight.push(send(key(k % FEATURES), `b-${k}`));
    }
    await Promise.all(inflight);
    const seconds = (performance.now() - start) / 1000;
    await pause(11_000);
    const after = await writes(database);
    const perMinute = (a: string, b: string) => Math.round(((Number(a) - Number(b)) / seconds) * 60);
    const steady = [...latencies].sort((a, b) => a - b);
    // Then as fast as 32 clients can: what one process and PostgreSQL on two cores can take.
    const burst = Array.from({ length: 5_000 }, (_, k) => k);
    const okBefore = latencies.length;
    const burstStart = performance.now();
    await pool(burst, 32, (k) => send(key(k % FEATURES), `burst-${k}`));
    const burstSeconds = (performance.now() - burstStart) / 1000;
    const sorted = [...cycles].sort((a, b) => a - b);
    const paged = new Set(pd.state.incidents.map((i) => /Bench (f\d+)/.exec(i.title)?.[1]));
    return {
      'batches sent': SECONDS * FEATURES,
      'steady accepted batches/s': Math.round(okBefore / seconds),
      'failed batches': failed,
      'steady ingest p50 ms': Number(percentile(steady, 50).toFixed(1)),
      'steady ingest p99 ms': Number(percentile(steady, 99).toFixed(1)),
      'evaluation cycles': cycles.length,
      'evaluation ms (median)': percentile(sorted, 50),
      'evaluation ms (max)': sorted.at(-1) ?? Number.NaN,
      'signal rows inserted/min': perMinute(after.signalRows, before.signalRows),
      'signal rows updated/min': perMinute(after.signalUpdates, before.signalUpdates),
      'other rows inserted/min': perMinute(after.otherInserts, before.otherInserts),
      'burst batches/s (32 clients)': Math.round((latencies.length - okBefore) / burstSeconds),
      'burning features paged': [...BURNING].filter((f) => paged.has(f)).length,
      'other features paged': [...paged].filter((f) => f && !BURNING.has(f)).length,
      'peak RSS MB': await app.peakRssMb(),
    };
  } finally {
    agent.destroy();
    await app.stop();
    await Promise.all([pd.close(), slack.close()]);
    await database.drop();
  }
}
