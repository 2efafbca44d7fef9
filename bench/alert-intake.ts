// Alert intake benchmark (issue #2): Failsafe on real PostgreSQL with fake Slack/PagerDuty.
// (a) 5,000 alerts over 50 features from 32 concurrent clients; (b) a steady 100 alerts/s for
// 30 s in which every tenth alert opens a new incident, to measure alert-to-page latency.
import { writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startFakePagerDuty } from '../src/sandbox/fakes/pagerduty.ts';
import { startFakeSlack } from '../src/sandbox/fakes/slack.ts';
import { createTestDatabase } from '../test/support/database.ts';
import { childEnv, percentile, pool, startChild } from './lib.ts';

const TOKEN = 'bench-alert-token-0123456789';
const STEADY_SECONDS = Number(process.env.BENCH_STEADY_SECONDS ?? 30);

function catalogYaml(): string {
  const feature = (key: string) =>
    `  - key: ${key}\n    name: Bench ${key}\n    owner: { slack: U0JANE, email: jane@example.com }\n` +
    `    pagerduty: { service: PSVC1, escalation_policy: PEP1 }\n    slack: { alerts_channel: C0ALERTS }\n`;
  const keys = [
    ...Array.from({ length: 50 }, (_, i) => `a${i}`),
    ...Array.from({ length: 50 }, (_, i) => `g${i}`),
    ...Array.from({ length: STEADY_SECONDS * 10 + 10 }, (_, i) => `h${i}`),
  ];
  return `defaults: { time_zone: UTC }\nfeatures:\n${keys.map(feature).join('')}`;
}

export async function benchAlertIntake(): Promise<Record<string, number>> {
  const database = await createTestDatabase();
  const [pd, slack] = await Promise.all([startFakePagerDuty(), startFakeSlack()]);
  const catalogPath = path.join(tmpdir(), `failsafe-bench-${process.pid}.yml`);
  await writeFile(catalogPath, catalogYaml());
  const pageSeen = new Map<string, number>();
  pd.onRequest((r) => {
    if (r.method === 'POST' && r.path === '/incidents') {
      const title = String((r.body as { incident?: { title?: string } }).incident?.title ?? '');
      const id = /\[(\S+)\]$/.exec(title)?.[1];
      if (id) pageSeen.set(id, performance.now());
    }
  });
  const app = await startChild(childEnv(database.url, { slack, pd }, { catalogPath, alertToken: TOKEN }));
  let rejected = 0;
  // node:http with keep-alive: a lighter client than fetch, so the load generator takes less
  // of the two cores it shares with Failsafe and PostgreSQL.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const target = new URL(`${app.url}/alerts/generic`);
  const send = (feature: string, id: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify({
        summary: `Eval score dropped [${id}]`,
        severity: 'error',
        feature,
        fingerprint: id,
      });
      const req = http.request(
        target,
        {
          method: 'POST',
          agent,
          headers: {
            authorization: `Bearer ${TOKEN}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode !== 202) rejected++;
            resolve();
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  try {
    // (a) burst
    const burst = Array.from({ length: 5000 }, (_, i) => i);
    const t0 = performance.now();
    await pool(burst, 32, (i) => send(`a${i % 50}`, `burst-${i}`));
    const burstSeconds = (performance.now() - t0) / 1000;

    // (b) steady 100/s; every tenth alert opens an incident on a fresh feature
    const sentAt = new Map<string, number>();
    const inflight: Promise<void>[] = [];
    const start = performance.now();
    for (let k = 0; k < STEADY_SECONDS * 100; k++) {
      const due = start + k * 10;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const opens = k % 10 === 0;
      const id = `steady-${k}`;
      if (opens) sentAt.set(id, performance.now());
      inflight.push(send(opens ? `h${k / 10}` : `g${k % 50}`, id));
    }
    await Promise.all(inflight);
    const deadline = performance.now() + 30_000;
    while ([...sentAt.keys()].some((id) => !pageSeen.has(id)) && performance.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const latencies = [...sentAt].map(([id, at]) => (pageSeen.get(id) ?? Number.POSITIVE_INFINITY) - at);
    latencies.sort((a, b) => a - b);

    const [counts] = await database.query<{ alerts: number; incidents: number }>(
      'SELECT (SELECT count(*)::int FROM alert) AS alerts, (SELECT count(*)::int FROM incident) AS incidents',
    );
    const sent = burst.length + STEADY_SECONDS * 100;
    return {
      'burst accepted alerts/s': Math.round(burst.length / burstSeconds),
      'burst seconds': Number(burstSeconds.toFixed(2)),
      'steady alert-to-page p50 ms': Number(percentile(latencies, 50).toFixed(1)),
      'steady alert-to-page p99 ms': Number(percentile(latencies, 99).toFixed(1)),
      'pages created': pd.state.incidents.length,
      incidents: counts?.incidents ?? 0,
      'alerts sent': sent,
      'lost alerts': sent - rejected - (counts?.alerts ?? 0),
      rejected,
      'peak RSS MB': await app.peakRssMb(),
    };
  } finally {
    agent.destroy();
    await app.stop();
    await Promise.all([pd.close(), slack.close()]);
    await database.drop();
  }
}
