// `npm start` with nothing configured, as a new user runs it: the sandbox banner, the printed
// curl, the /sandbox page, and a clean exit on SIGTERM. And `npm start` half-configured for
// production: one line naming what is missing, a non-zero exit, and no database touched.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_CATALOG } from '../src/config/catalog-path.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { startUp, unconfiguredEnv } from './support/main-process.ts';
import { acceptsConnections, externalAddress } from './support/net.ts';
import { waitUntil } from './support/wait.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
let dataDir: string;
let child: ChildProcess;
/** Every sandbox started, so a test that fails before its SIGTERM leaves no process behind. */
const children: ChildProcess[] = [];
let output = '';

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'failsafe-main-'));
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

/** Resolves with the first stdout line matching `pattern` (lines are also kept in `output`). */
function lineMatching(proc: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: proc.stdout as NonNullable<ChildProcess['stdout']> });
    lines.on('line', (line) => {
      output += `${line}\n`;
      if (pattern.test(line)) resolve(line);
    });
    proc.once('exit', (code) => reject(new Error(`exited with ${code}; output:\n${output}`)));
  });
}

function startSandboxChild(): ChildProcess {
  output = '';
  const started = spawn(process.execPath, ['src/main.ts'], {
    cwd: ROOT,
    env: unconfiguredEnv(dataDir),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(started);
  return started;
}

/** The banner's curl, as printed, run by a shell: the HTTP status it got. */
function runPrintedCurl(): string {
  const curl = /^ {2}(curl [\s\S]+?\}\]\}')$/m.exec(output)?.[1];
  if (!curl) throw new Error(`no curl in the banner:\n${output}`);
  return spawnSync('sh', ['-c', `${curl} -o /dev/null -w '%{http_code}'`], { encoding: 'utf8' }).stdout;
}

const paged = (url: string) =>
  waitUntil(
    async () => (await fetch(`${url}/sandbox`)).text(),
    (html) => html.includes('Paged <b>Jane Doe</b>'),
    { what: 'the page to appear on /sandbox' },
  );

describe('npm start without configuration', () => {
  it('runs the sandbox on loopback, the printed curl pages Jane Doe, and SIGTERM exits cleanly', async () => {
    child = startSandboxChild();
    let stderr = '';
    child.stderr?.on('data', (d) => {
      stderr += String(d);
    });
    const startedLine = await lineMatching(child, /"msg":"failsafe started"/);
    expect(output).toContain('SANDBOX mode');
    const started = JSON.parse(startedLine) as Record<string, unknown>;
    expect(started).toMatchObject({ mode: 'sandbox', embeddedDatabase: true });
    // Bound to loopback: /sandbox must not answer on the machine's network address.
    expect(started.listening).toMatch(/^127\.0\.0\.1:\d+$/);
    const url = /App:\s+(\S+)/.exec(output)?.[1] as string;
    const token = /Authorization: Bearer ([^']+)'/.exec(output)?.[1] as string;
    const curl = /^ {2}(curl [\s\S]+?\}\]\}')$/m.exec(output)?.[1] as string;
    expect([url, token, curl].every(Boolean)).toBe(true);
    const port = Number(new URL(url).port);
    const external = externalAddress();
    if (external) expect(await acceptsConnections(external, port)).toBe(false);
    expect(await (await fetch(`${url}/readyz`)).json()).toMatchObject({
      status: 'ready',
      mode: 'sandbox',
      embeddedDatabase: true,
    });

    // Pasted into a shell as printed: its startsAt is the time it runs, not a date in the past.
    expect(runPrintedCurl()).toBe('202');
    expect(curl).toContain(`"startsAt":"'"$(date -u`);
    const page = await paged(url);
    expect(page).toContain('AI support bot');
    expect(page).toContain('Paged <b>Jane Doe</b>');
    // Jane's DM links to the port the sandbox really listens on (PORT=0 here), not to :0.
    const withDm = await waitUntil(
      async () => (await fetch(`${url}/sandbox`)).text(),
      (html) => html.includes('/ack/'),
      { what: "Jane's DM with the ack link" },
    );
    expect(withDm).toContain(`href="${url}/ack/`);

    // The simulated phone: acknowledging "in the PagerDuty app" changes the Slack message.
    const action = /action="(\/sandbox\/pagerduty\/[^"]+\/acknowledge)"/.exec(page)?.[1] as string;
    expect(action).toBeTruthy();
    const tapped = await fetch(`${url}${action}`, { method: 'POST', redirect: 'manual' });
    expect(tapped.status).toBe(303);
    await waitUntil(
      async () => (await fetch(`${url}/sandbox`)).text(),
      (html) => html.includes('Acknowledged by <b>Jane Doe</b> from the PagerDuty app'),
      { what: 'the acknowledgement to reach the Slack message' },
    );

    const stopAt = Date.now();
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(Date.now() - stopAt).toBeLessThan(25_000);
    expect(stderr).not.toMatch(/Error/);
  }, 60_000);

  it('starts empty again after a restart, so the same curl pages again', async () => {
    child = startSandboxChild();
    await lineMatching(child, /"msg":"failsafe started"/);
    expect(output).toContain('It starts empty every time');
    const url = /App:\s+(\S+)/.exec(output)?.[1] as string;
    // A database kept from the first run would call it a repeat and page nobody.
    expect(runPrintedCurl()).toBe('202');
    await paged(url);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 60_000);
});

describe('npm start half-configured for production', () => {
  const LIVE = {
    SLACK_BOT_TOKEN: 'xoxb-live-bot-token',
    SLACK_SIGNING_SECRET: 'live-signing-secret',
    FAILSAFE_ALERT_TOKEN: 'live-alert-token-0123456789',
  };
  let database: TestDatabase;
  // Its own, so an embedded database the sandbox test left behind cannot hide one made here.
  let dir: string;
  beforeAll(async () => {
    // Fresh and empty: whatever start-up does to it shows as a table.
    database = await createTestDatabase({ migrate: false });
    dir = await mkdtemp(path.join(tmpdir(), 'failsafe-main-production-'));
  });
  afterAll(async () => {
    await database?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  async function expectUntouched(): Promise<void> {
    const tables = await database.query<{ name: string }>(
      `SELECT table_schema || '.' || table_name AS name FROM information_schema.tables
       WHERE table_schema NOT IN ('pg_catalog', 'information_schema')`,
    );
    expect(tables.map((t) => t.name)).toEqual([]);
  }

  it('refuses a signing secret, NODE_ENV=production, PagerDuty, alert token and database without a bot token', async () => {
    const outcome = await startUp({
      SLACK_SIGNING_SECRET: LIVE.SLACK_SIGNING_SECRET,
      NODE_ENV: 'production',
      PAGERDUTY_API_TOKEN: 'pd-live-token-abcdef',
      FAILSAFE_ALERT_TOKEN: LIVE.FAILSAFE_ALERT_TOKEN,
      DATABASE_URL: database.url,
      FAILSAFE_CONFIG: EXAMPLE_CATALOG,
      FAILSAFE_DATA_DIR: dir,
    });
    expect(outcome.started).toBe(false);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/^failsafe: SLACK_BOT_TOKEN: required when NODE_ENV=production and .*\n$/);
    expect(outcome.stderr.split('\n')).toHaveLength(2);
    expect(outcome.stdout).not.toContain('SANDBOX');
    for (const secret of ['pd-live-token-abcdef', LIVE.SLACK_SIGNING_SECRET, LIVE.FAILSAFE_ALERT_TOKEN])
      expect(outcome.stderr).not.toContain(secret);
    await expectUntouched();
  }, 60_000);

  it('refuses NODE_ENV=production alone, naming every missing variable, before the embedded database', async () => {
    const outcome = await startUp({ NODE_ENV: 'production', FAILSAFE_DATA_DIR: dir });
    expect(outcome.started).toBe(false);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toBe(
      'failsafe: SLACK_BOT_TOKEN: required when NODE_ENV=production ' +
        '(also: SLACK_SIGNING_SECRET, FAILSAFE_ALERT_TOKEN)\n',
    );
    await expect(access(path.join(dir, 'data'))).rejects.toThrow(/ENOENT/);
  }, 60_000);

  it('stops naming the catalog file when it is missing, instead of paging the example ids', async () => {
    const catalog = path.join(dir, 'no-such-failsafe.yml');
    const outcome = await startUp({
      ...LIVE,
      DATABASE_URL: database.url,
      FAILSAFE_CONFIG: catalog,
      FAILSAFE_DATA_DIR: dir,
    });
    expect(outcome.started).toBe(false);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toBe(
      `failsafe: ${catalog}: cannot read the catalog: file not found (copy failsafe.example.yml, or set FAILSAFE_CONFIG)\n`,
    );
    await expectUntouched();
  }, 60_000);
});
