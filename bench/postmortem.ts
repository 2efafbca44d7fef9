// Postmortem benchmark (issue #6): one incident channel with 10,000 captured messages and
// 1,000 other timeline entries (an alert storm over 20 rules, pages, acks, flag changes,
// updates, 📌 messages), written to real PostgreSQL; then /ai-postmortem's work — read the
// facts, build the draft, store the version — timed in a child process of its own, so its
// memory is measurable: RSS before, peak RSS (the kernel's high-water mark) and heap.
// Cold = the first build in a fresh process; warm = the median of the next four.

import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createSlackApi } from '../src/adapters/slack.ts';
import { buildDraft } from '../src/capabilities/postmortem/draft.ts';
import { loadLanguageRules } from '../src/capabilities/postmortem/language-file.ts';
import { loadFacts } from '../src/capabilities/postmortem/load.ts';
import { saveVersion } from '../src/capabilities/postmortem/versions.ts';
import { indexCatalog, loadCatalog } from '../src/config/catalog.ts';
import { EXAMPLE_CATALOG } from '../src/config/catalog-path.ts';
import { openDb } from '../src/db/client.ts';
import { type AppDeps, systemClock } from '../src/deps.ts';
import { startFakeSlack } from '../src/sandbox/fakes/slack.ts';
import { findIncident } from '../src/store/incidents.ts';
import { createTestDatabase, type TestDatabase } from '../test/support/database.ts';
import { ROOT } from './lib.ts';

const MESSAGES = Number(process.env.BENCH_PM_MESSAGES ?? 10_000);
const ENTRIES = Number(process.env.BENCH_PM_ENTRIES ?? 1_000);
const RUNS = 5;
const WORDS =
  'provider errors timeout retry rollout flag prompt model eval latency users fallback queue agents config index cache deploy looks still seeing dropping back restored checking graph dashboard status page'.split(
    ' ',
  );

function sentence(i: number): string {
  const length = 8 + ((i * 7) % 40);
  const words = Array.from({ length }, (_, k) => WORDS[(i * 31 + k * 17) % WORDS.length]);
  // Now and then what people paste into incident channels: addresses, numbers, tokens, blame.
  if (i % 97 === 0) words.push('mail oncall@example.com');
  if (i % 89 === 0) words.push('call +44 20 7946 0958');
  if (i % 353 === 0) words.push('token xoxb-123456789012-abcdefghijklmnop');
  if (i % 211 === 0) words.push('. Sam should have checked the rollout');
  return `${words.join(' ')}.`;
}

/** Mostly alerts firing and resolving (a storm over 20 rules), some acknowledgements and updates. */
function kindOf(i: number): string {
  if (i % 10 === 9) return 'update.posted';
  if (i % 10 === 8) return 'incident.acknowledged';
  return i % 3 === 2 ? 'alert.resolved' : 'alert.firing';
}

async function seed(database: TestDatabase): Promise<string> {
  const id = randomUUID();
  const start = Date.parse('2026-07-14T02:00:00Z');
  const at = (ms: number) => new Date(start + ms).toISOString();
  await database.query(
    `INSERT INTO incident (id, number, feature_key, status, severity, title, opened_at, resolved_at, channel_id,
       channel_name, lead_slack_id, assignee_name, pd_dedup_key, page_state)
     VALUES ($1, 1, 'ai-support-bot', 'resolved', 'critical', 'Bench incident', $2, $3, 'C0BENCH', 'inc-bench',
       'U0SAM', 'Jane Doe', 'bench', 'sent')`,
    [id, at(0), at(6 * 3_600_000)],
  );
  const payload = randomUUID();
  await database.query(
    `INSERT INTO inbound_payload (id, kind, request_id, body) VALUES ($1, 'bench', 'bench', '{}')`,
    [payload],
  );
  const rows: Record<string, unknown>[] = [];
  const alerts: Record<string, unknown>[] = [];
  const entry = (ms: number, kind: string, actor: string, text: string, data: object, dedup_key: string) =>
    rows.push({ at: at(ms), kind, actor, text, data, dedup_key });
  for (let i = 0; i < MESSAGES; i++) {
    const who = { id: `U0B${i % 25}`, name: `Person ${String.fromCharCode(65 + (i % 25))}` };
    const ts = `${Math.floor(start / 1000) + i * 2}.000${String(i % 1000).padStart(3, '0')}`;
    const data = { channel: 'C0BENCH', ts, user: who.id };
    entry(i * 2000, 'slack.message', who.name, sentence(i), data, `msg:C0BENCH:${ts}`);
    if (i % 250 === 0)
      entry(
        i * 2000,
        'slack.key_message',
        'Sam Lee',
        sentence(i),
        { ...data, markedBy: 'U0SAM' },
        `key:C0BENCH:${ts}`,
      );
  }
  for (let i = 0; i < ENTRIES - Math.ceil(MESSAGES / 250); i++) {
    const rule = `Rule${i % 20}`;
    const kind = kindOf(i);
    const labels = {
      alertname: rule,
      ai_feature: 'ai-support-bot',
      model: `gpt-${i % 3}`,
      prompt_version: `v${i % 4}`,
    };
    const data = { fingerprint: `fp-${i}`, labels, via: 'Slack' };
    if (kind.startsWith('alert.'))
      entry(
        i * 20_000,
        kind,
        'alertmanager',
        `Alert ${kind.slice(6)}: ${rule} over threshold`,
        data,
        `bench:${i}`,
      );
    else entry(i * 20_000, kind, 'Jane Doe', sentence(i), data, `bench:${i}`);
    if (kind === 'alert.firing') {
      const startsAt = at(i * 20_000);
      alerts.push({
        fingerprint: `fp-${i}`,
        summary: `${rule} over threshold`,
        labels,
        starts_at: startsAt,
        first_seen_at: at(i * 20_000 + 5_000),
      });
    }
  }
  await database.query(
    `INSERT INTO timeline_entry (id, incident_id, at, kind, actor, text, data, dedup_key)
     SELECT gen_random_uuid(), $1, x.at, x.kind, x.actor, x.text, x.data, x.dedup_key
     FROM jsonb_to_recordset($2::jsonb) AS x(at timestamptz, kind text, actor text, text text, data jsonb, dedup_key text)`,
    [id, JSON.stringify(rows)],
  );
  await database.query(
    `INSERT INTO alert (id, source, fingerprint, group_key, status, feature_key, severity, summary, labels, annotations,
       starts_at, first_seen_at, last_seen_at, incident_id, payload_id)
     SELECT gen_random_uuid(), 'alertmanager', x.fingerprint, $4, 'resolved', 'ai-support-bot', 'error', x.summary, x.labels,
       '{}', x.starts_at, x.first_seen_at, x.first_seen_at, $1::uuid, $2
     FROM jsonb_to_recordset($3::jsonb) AS x(fingerprint text, summary text, labels jsonb, starts_at timestamptz, first_seen_at timestamptz)`,
    [id, payload, JSON.stringify(alerts), id],
  );
  return id;
}

export async function benchPostmortem(): Promise<Record<string, number>> {
  const database = await createTestDatabase();
  try {
    const incidentId = await seed(database);
    const [counts] = await database.query<{ messages: number; others: number }>(
      `SELECT count(*) FILTER (WHERE kind = 'slack.message')::int AS messages,
              count(*) FILTER (WHERE kind <> 'slack.message')::int AS others FROM timeline_entry`,
    );
    const child = spawn(process.execPath, ['--expose-gc', 'bench/postmortem.ts'], {
      cwd: ROOT,
      env: { ...process.env, FAILSAFE_BENCH_CHILD: '1', BENCH_DB: database.url, BENCH_INCIDENT: incidentId },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`postmortem bench child exited with ${code}`);
    const figures = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Record<string, number>;
    return {
      'channel messages': counts?.messages ?? 0,
      'other timeline entries': counts?.others ?? 0,
      ...figures,
    };
  } finally {
    await database.drop();
  }
}

/** In the child: nothing but what /ai-postmortem does, measured. */
async function measure(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
  const slack = await startFakeSlack();
  const handle = openDb(String(process.env.BENCH_DB), { poolSize: 4 });
  const deps = {
    db: handle.db,
    catalog: indexCatalog(await loadCatalog(EXAMPLE_CATALOG)),
    slack: createSlackApi({ baseUrl: slack.url, token: slack.token }),
    clock: systemClock,
  } as unknown as AppDeps; // only what loading, building and saving a draft use
  const incident = await findIncident(handle.db, String(process.env.BENCH_INCIDENT));
  if (!incident) throw new Error('bench incident is missing');
  const times: number[] = [];
  let peakHeap = 0;
  let last = { bytes: 0, rows: 0, findings: 0 };
  gc();
  const rssBefore = process.memoryUsage().rss;
  const heapBefore = process.memoryUsage().heapUsed;
  for (let run = 0; run < RUNS; run++) {
    const t0 = performance.now();
    const facts = await loadFacts(deps, incident);
    const { rules } = await loadLanguageRules(EXAMPLE_CATALOG);
    const draft = buildDraft(facts, { rules });
    await saveVersion(deps, { incidentId: incident.id, draft, by: 'U0BENCH', channelId: 'C0BENCH' });
    times.push(performance.now() - t0);
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed - heapBefore);
    last = {
      bytes: Buffer.byteLength(draft.body),
      rows: draft.body.split('\n').filter((l) => l.startsWith('| ')).length,
      findings: draft.findings.length,
    };
  }
  const peakRss = process.resourceUsage().maxRSS * 1024;
  gc();
  const retained = process.memoryUsage().heapUsed - heapBefore;
  const warm = times.slice(1).sort((a, b) => a - b);
  const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
  console.log(
    JSON.stringify({
      'build ms, cold (first in process)': Math.round(times[0] ?? 0),
      'build ms, warm median': Math.round(warm[Math.floor(warm.length / 2)] ?? 0),
      'RSS before build MB': mb(rssBefore),
      'peak RSS increase MB': mb(Math.max(0, peakRss - rssBefore)),
      'heap increase after build MB': mb(peakHeap),
      'heap retained after GC MB': mb(retained),
      'draft KB': Math.round(last.bytes / 1024),
      'draft table rows': last.rows,
      'language findings': last.findings,
    }),
  );
  await handle.close();
  await slack.close();
}

if (process.env.FAILSAFE_BENCH_CHILD === '1') await measure();
