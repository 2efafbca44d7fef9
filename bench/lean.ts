// The process at rest (issue 17, targets 3–5): time from spawn to the first /readyz 200 on
// PostgreSQL with migrations already applied and on a warm embedded data directory, then RSS
// after start-up and the database transactions per second with no traffic at all, counted
// by the app's own counter (bench/count-queries.ts) and from pg_stat_database.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { startFakePagerDuty } from '../src/sandbox/fakes/pagerduty.ts';
import { startFakeSlack } from '../src/sandbox/fakes/slack.ts';
import { createTestDatabase, SERVER_URL } from '../test/support/database.ts';
import { childEnv, ROOT } from './lib.ts';

const TOKEN = 'bench-alert-token-0123456789';
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 30);

async function statusKb(pid: number, field: string): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
}

/** Spawns Failsafe and polls its port's /readyz; the port is fixed so no log line is awaited. */
async function coldStart(env: Record<string, string>, port: number, countFile: string) {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', './bench/count-queries.ts', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: 'warn', BENCH_QUERY_COUNT_FILE: countFile },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    if (child.exitCode !== null) throw new Error(`failsafe exited with ${child.exitCode}`);
    if (performance.now() - t0 > 60_000) throw new Error('no /readyz within 60 s');
    await new Promise((r) => setTimeout(r, 20));
  }
  const ms = performance.now() - t0;
  return {
    ms,
    pid: child.pid as number,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function transactions(admin: pg.Client, name: string): Promise<number> {
  const { rows } = await admin.query<{ n: string }>(
    'SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = $1',
    [name],
  );
  return Number(rows[0]?.n ?? 0);
}

export async function benchLean(): Promise<Record<string, number>> {
  const dir = await mkdtemp(path.join(tmpdir(), 'failsafe-lean-'));
  const [pd, slack] = await Promise.all([startFakePagerDuty(), startFakeSlack()]);
  const catalogPath = path.join(dir, 'catalog.yml');
  await writeFile(
    catalogPath,
    'defaults: { time_zone: UTC }\nfeatures:\n  - key: a0\n    name: Bench a0\n' +
      '    owner: { slack: U0JANE, email: jane@example.com }\n' +
      '    pagerduty: { service: PSVC1, escalation_policy: PEP1 }\n    slack: { alerts_channel: C0ALERTS }\n',
  );
  const database = await createTestDatabase(); // migrations applied, as the target says
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  const figures: Record<string, number> = {};
  try {
    const env = childEnv(database.url, { slack, pd }, { catalogPath, alertToken: TOKEN });
    const port = 20_000 + (process.pid % 20_000);
    const countFile = path.join(dir, 'queries');
    const queries = async () => Number(await readFile(countFile, 'utf8').catch(() => '0'));
    const app = await coldStart(env, port, countFile);
    figures['postgres: spawn to /readyz ms'] = Math.round(app.ms);
    // Let start-up's one-off work (first queue-depth sample, sweeps) settle before counting.
    await new Promise((r) => setTimeout(r, 5_000));
    figures['postgres: idle RSS MB'] = Math.round((await statusKb(app.pid, 'VmRSS')) / 1024);
    // pg_stat_database is updated when a backend reports, at most every second or so: the
    // window is long enough that this lag is small against it.
    const before = await transactions(admin, database.name);
    const sentBefore = await queries();
    await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
    const sentAfter = await queries();
    const after = await transactions(admin, database.name);
    figures['postgres: idle queries/s (app counter)'] = Number(
      ((sentAfter - sentBefore) / IDLE_SECONDS).toFixed(2),
    );
    // Includes autovacuum's and the statistics' own transactions in that database.
    figures['postgres: idle DB transactions/s'] = Number(((after - before) / IDLE_SECONDS).toFixed(2));
    figures['postgres: idle RSS MB after idling'] = Math.round((await statusKb(app.pid, 'VmRSS')) / 1024);
    await app.stop();

    // Embedded: the first start initialises the data directory; the second is the warm figure.
    const dataDir = path.join(dir, 'failsafe');
    const embeddedEnv = { ...env, DATABASE_URL: '', FAILSAFE_DATA_DIR: dataDir };
    const first = await coldStart(embeddedEnv, port + 1, countFile);
    figures['embedded: first start to /readyz ms'] = Math.round(first.ms);
    await first.stop();
    const warm = await coldStart(embeddedEnv, port + 2, countFile);
    figures['embedded: warm start to /readyz ms'] = Math.round(warm.ms);
    await new Promise((r) => setTimeout(r, 5_000));
    figures['embedded: idle RSS MB'] = Math.round((await statusKb(warm.pid, 'VmRSS')) / 1024);
    await warm.stop();
  } finally {
    await admin.end();
    await database.drop();
    await Promise.all([pd.close(), slack.close()]);
    await rm(dir, { recursive: true, force: true });
  }
  return figures;
}
