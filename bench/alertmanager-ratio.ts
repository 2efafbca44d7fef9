// Intake against a real Prometheus Alertmanager (issue 17, target 1): the same load generator
// (wrk -t1 -c32) sends the same two new alerts per request to Alertmanager's in-memory
// POST /api/v2/alerts and to Failsafe's POST /alerts/alertmanager (2xx only after commit),
// alternating A B A B so both see the same machine. The figure is Failsafe's req/s over
// Alertmanager's in each pair, median of the pairs; afterwards every 2xx is checked against
// the rows stored. Run once with Failsafe on PostgreSQL and once on the embedded PGlite.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { startFakePagerDuty } from '../src/sandbox/fakes/pagerduty.ts';
import { startFakeSlack } from '../src/sandbox/fakes/slack.ts';
import { createTestDatabase } from '../test/support/database.ts';
import { type Child, childEnv, ROOT, startChild } from './lib.ts';

const TOKEN = 'bench-alert-token-0123456789';
const PAIRS = Number(process.env.BENCH_PAIRS ?? 3);
const SECONDS = Number(process.env.BENCH_WRK_SECONDS ?? 5);
const LUA = path.join(ROOT, 'bench/wrk/alerts.lua');

/** The bench's own setup: Debian's wrk and Alertmanager, installed when missing. */
function ensureTools(): void {
  const missing = ['wrk', 'prometheus-alertmanager'].filter((bin) => {
    try {
      execFileSync('which', [bin], { stdio: 'ignore' });
      return false;
    } catch {
      return true;
    }
  });
  if (!missing.length) return;
  console.error(`installing ${missing.join(', ')} with apt-get`);
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { stdio: 'inherit' });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} never answered`);
}

async function startAlertmanager(dir: string): Promise<{ url: string; process: ChildProcess }> {
  const config = path.join(dir, 'alertmanager.yml');
  await writeFile(config, 'route: { receiver: none }\nreceivers: [{ name: none }]\n');
  const port = await freePort();
  const child = spawn(
    'prometheus-alertmanager',
    [
      `--config.file=${config}`,
      `--storage.path=${path.join(dir, 'am-data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/-/ready`);
  return { url, process: child };
}

interface WrkRun {
  rps: number;
  requests: number;
  non2xx: number;
  errors: number;
}

function wrk(url: string, kind: 'am' | 'webhook', prefix: string): Promise<WrkRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', ['-t1', '-c32', `-d${SECONDS}s`, '-s', LUA, url], {
      env: { ...process.env, BODY_KIND: kind, RUN_PREFIX: prefix, ALERT_TOKEN: TOKEN },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('error', reject);
    child.on('exit', () => {
      const num = (re: RegExp) => Number(re.exec(out)?.[1] ?? 0);
      const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
      resolve({
        rps: num(/Requests\/sec:\s+([\d.]+)/),
        requests: num(/(\d+) requests in/),
        non2xx: num(/Non-2xx or 3xx responses: (\d+)/),
        errors: socket ? socket.slice(1).reduce((s, n) => s + Number(n), 0) : 0,
      });
    });
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

async function catalog(dir: string): Promise<string> {
  const file = path.join(dir, 'catalog.yml');
  const feature = (key: string) =>
    `  - key: ${key}\n    name: Bench ${key}\n    owner: { slack: U0JANE, email: jane@example.com }\n` +
    `    pagerduty: { service: PSVC1, escalation_policy: PEP1 }\n    slack: { alerts_channel: C0ALERTS }\n`;
  const keys = Array.from({ length: 50 }, (_, i) => `a${i}`);
  await writeFile(file, `defaults: { time_zone: UTC }\nfeatures:\n${keys.map(feature).join('')}`);
  return file;
}

interface Side {
  label: string;
  app: Child;
  count(): Promise<{ alerts: number; payloads: number }>;
}

async function compare(side: Side, am: { url: string }): Promise<Record<string, number>> {
  const ratios: number[] = [];
  const amRps: number[] = [];
  const fsRps: number[] = [];
  let fsOk = 0;
  let non2xx = 0;
  // One short warm-up of each, not counted: the first seconds of a process are JIT and pool set-up.
  await wrk(am.url, 'am', `${side.label}-warm`);
  const warm = await wrk(side.app.url, 'webhook', `${side.label}-warm`);
  fsOk += warm.requests - warm.non2xx;
  non2xx += warm.non2xx + warm.errors;
  for (let i = 0; i < PAIRS; i++) {
    const a = await wrk(am.url, 'am', `${side.label}-am${i}`);
    const b = await wrk(side.app.url, 'webhook', `${side.label}-fs${i}`);
    amRps.push(a.rps);
    fsRps.push(b.rps);
    ratios.push(b.rps / a.rps);
    fsOk += b.requests - b.non2xx;
    non2xx += b.non2xx + b.errors;
    console.error(
      `  ${side.label} pair ${i + 1}: alertmanager ${a.rps.toFixed(0)} req/s, failsafe ${b.rps.toFixed(0)} req/s`,
    );
  }
  const peak = await side.app.peakRssMb();
  await side.app.stop();
  const rows = await side.count();
  // wrk counts only requests it saw answered; one cut off at the end may also be stored.
  const lost = Math.max(0, fsOk * 2 - rows.alerts);
  return {
    [`${side.label}: ratio (median of pairs)`]: Number(median(ratios).toFixed(2)),
    [`${side.label}: alertmanager req/s (median)`]: Math.round(median(amRps)),
    [`${side.label}: failsafe req/s (median)`]: Math.round(median(fsRps)),
    [`${side.label}: non-2xx or socket errors`]: non2xx,
    [`${side.label}: lost alerts`]: lost,
    [`${side.label}: peak RSS MB`]: peak,
  };
}

export async function benchAlertmanagerRatio(): Promise<Record<string, number>> {
  ensureTools();
  const dir = await mkdtemp(path.join(tmpdir(), 'failsafe-ratio-'));
  const [pd, slack] = await Promise.all([startFakePagerDuty(), startFakeSlack()]);
  const catalogPath = await catalog(dir);
  const am = await startAlertmanager(dir);
  const figures: Record<string, number> = {};
  try {
    if (process.env.BENCH_RATIO_EMBEDDED !== 'only') {
      const database = await createTestDatabase();
      try {
        const app = await startChild(
          childEnv(database.url, { slack, pd }, { catalogPath, alertToken: TOKEN }),
        );
        Object.assign(
          figures,
          await compare(
            {
              label: 'postgres',
              app,
              count: async () => {
                const [row] = await database.query<{ alerts: number; payloads: number }>(
                  'SELECT (SELECT count(*)::int FROM alert) AS alerts, (SELECT count(*)::int FROM inbound_payload) AS payloads',
                );
                return row ?? { alerts: 0, payloads: 0 };
              },
            },
            am,
          ),
        );
      } finally {
        await database.drop();
      }
    }
    if (process.env.BENCH_RATIO_EMBEDDED !== 'skip') {
      const dataDir = path.join(dir, 'failsafe');
      // A blank DATABASE_URL is unset: Failsafe starts its embedded PGlite in dataDir.
      const env = childEnv('', { slack, pd }, { catalogPath, alertToken: TOKEN });
      const app = await startChild({ ...env, FAILSAFE_DATA_DIR: dataDir });
      Object.assign(
        figures,
        await compare(
          {
            label: 'embedded',
            app,
            count: async () => {
              const db = await PGlite.create(path.join(dataDir, 'data'));
              const { rows } = await db.query<{ alerts: number; payloads: number }>(
                'SELECT (SELECT count(*)::int FROM alert) AS alerts, (SELECT count(*)::int FROM inbound_payload) AS payloads',
              );
              await db.close();
              return rows[0] ?? { alerts: 0, payloads: 0 };
            },
          },
          am,
        ),
      );
    }
  } finally {
    am.process.kill('SIGTERM');
    await Promise.all([pd.close(), slack.close()]);
    await rm(dir, { recursive: true, force: true });
  }
  return figures;
}
