// `npm run doctor` against the contract fakes (Slack, PagerDuty, Unleash), a stand-in /healthz
// and real PostgreSQL: all green first, then one fault at a time, each giving its fix line.
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMigrations } from '../../src/db/migrate.ts';
import { formatReport, runDoctor } from '../../src/doctor/index.ts';
import { manifestBotScopes } from '../../src/doctor/manifest.ts';
import { startFakePagerDuty } from '../../src/sandbox/fakes/pagerduty.ts';
import { startFakeSlack } from '../../src/sandbox/fakes/slack.ts';
import { FAKE_BOT_SCOPES } from '../../src/sandbox/fakes/slack-state.ts';
import { startFakeUnleash } from '../../src/sandbox/fakes/unleash.ts';
import { catalogFile } from '../support/catalog.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { EXAMPLE_CATALOG } from '../support/harness.ts';

type Env = Record<string, string>;
let slack: Awaited<ReturnType<typeof startFakeSlack>>;
let pd: Awaited<ReturnType<typeof startFakePagerDuty>>;
let unleash: Awaited<ReturnType<typeof startFakeUnleash>>;
let health: Server;
let db: TestDatabase;
let unmigrated: TestDatabase;
let base: Env;
/** How many migrations prisma/migrations holds: the count grows with every schema change. */
let migrations: number;

const listen = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

beforeAll(async () => {
  slack = await startFakeSlack({ acceptAnyChannel: false });
  pd = await startFakePagerDuty();
  const flags = ['ai-support-bot', 'ai-search-summaries'].map((flag) => ({
    project: 'default',
    flag,
    environments: ['production', 'development'],
  }));
  // ai-no-ramp is on only in development until beforeAll adds a non-rollout strategy in production.
  unleash = await startFakeUnleash({
    flags: [...flags, { project: 'default', flag: 'ai-no-ramp', environments: ['development'] }],
  });
  // Turned on in production with Unleash's standard strategy: on for everyone, no percentage.
  const noRamp = `${unleash.url}/api/admin/projects/default/features/ai-no-ramp/environments/production`;
  const headers = { authorization: unleash.adminToken, 'content-type': 'application/json' };
  const body = JSON.stringify({ name: 'default', parameters: {} });
  expect((await fetch(`${noRamp}/strategies`, { method: 'POST', headers, body })).status).toBe(200);
  health = createServer((req, res) => {
    const ok = req.url === '/healthz';
    res.writeHead(ok ? 200 : 404, { 'content-type': 'application/json' }).end(ok ? '{"status":"ok"}' : '{}');
  });
  migrations = (await readMigrations()).migrationDirectories.length;
  db = await createTestDatabase();
  unmigrated = await createTestDatabase({ migrate: false });
  base = {
    NODE_ENV: 'production',
    SLACK_BOT_TOKEN: slack.token,
    SLACK_SIGNING_SECRET: 'signing-secret-for-the-doctor',
    SLACK_API_URL: slack.url,
    FAILSAFE_ALERT_TOKEN: 'alert-token-0123456789abcdef',
    LANGFUSE_WEBHOOK_SECRETS: 'lf-whsec_doctor-0123456789abcdef',
    GRAFANA_WEBHOOK_SECRET: 'grafana-doctor-secret-0123',
    FAILSAFE_CONFIG: EXAMPLE_CATALOG,
    FAILSAFE_PUBLIC_URL: await listen(health),
    DATABASE_URL: db.url,
    PAGERDUTY_API_TOKEN: pd.token,
    PAGERDUTY_FROM_EMAIL: 'failsafe@example.com',
    PAGERDUTY_API_URL: pd.url,
    UNLEASH_URL: unleash.url,
    UNLEASH_ADMIN_TOKEN: unleash.adminToken,
    UNLEASH_CLIENT_TOKEN: unleash.clientTokens.join(','),
  };
});

afterAll(async () => {
  await unmigrated?.drop();
  await db?.drop();
  await new Promise((resolve) => health?.close(resolve));
  await unleash?.close();
  await pd?.close();
  await slack?.close();
});

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Runs a command in the repository with exactly `env` (plus PATH and HOME) until it exits. */
function run(command: string, args: string[], env: Env): Promise<{ code: number | null; stdout: string }> {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (d) => {
    stdout += String(d);
  });
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout })));
}

async function doctor(change: Partial<Env> = {}) {
  const report = await runDoctor({ ...base, ...change });
  return { ...report, text: formatReport(report), lines: formatReport(report).split('\n') };
}

describe('npm run doctor', () => {
  it('passes a working configuration, asking only read-only questions', async () => {
    const [slackCalls, pdRequests, unleashRequests] = [
      slack.state.calls.length,
      pd.state.requests.length,
      unleash.state.requests.length,
    ];
    const report = await doctor();

    expect(report.lines).toContain('✓ Slack token (bot @failsafe in T0FAILSAFE)');
    expect(report.lines).toContain('✓ Slack scopes (all 19 of manifest.yml)');
    expect(report.lines).toContain('✓ Slack channel C0STAKE (#stake, bot is a member)');
    expect(report.lines).toContain('✓ PagerDuty From failsafe@example.com (user PUSER9, Failsafe)');
    expect(report.lines).toContain('✓ PagerDuty service PSVC1 (AI Assistant)');
    expect(report.lines).toContain('✓ PagerDuty escalation policy PEP2 (Search Quality)');
    expect(report.lines).toContain('✓ Unleash client token for production (accepted by the Client API)');
    expect(report.lines).toContain(
      '✓ Unleash flag ai-support-bot in default/production (on, flexibleRollout)',
    );
    expect(report.lines).toContain(`✓ Public URL ${base.FAILSAFE_PUBLIC_URL} (/healthz answers ok)`);
    expect(report.lines).toContain(`✓ Database (reachable, all ${migrations} migrations applied)`);
    expect(report.lines).toContain(
      '✓ Langfuse webhook (LANGFUSE_WEBHOOK_SECRETS set (1 secret): POST /alerts/langfuse checks x-langfuse-signature)',
    );
    expect(report.text).toContain('✓ Grafana signature (GRAFANA_WEBHOOK_SECRET set (1 secret)');
    expect(report.text).not.toContain('lf-whsec_doctor');
    expect(report.checks.every((c) => c.status === 'pass')).toBe(true);
    expect(report.ok).toBe(true);

    // Counted at the fakes: each catalog channel asked once, and nothing but reads.
    const calls = slack.state.calls.slice(slackCalls).map((c) => c.method);
    expect(calls.sort()).toEqual(['auth.test', ...Array(3).fill('conversations.info')]);
    const pdMethods = pd.state.requests.slice(pdRequests).map((r) => `${r.method} ${r.path}`);
    expect(pdMethods.sort()).toEqual([
      'GET /escalation_policies/PEP1',
      'GET /escalation_policies/PEP2',
      'GET /services/PSVC1',
      'GET /services/PSVC2',
      'GET /users',
    ]);
    const unleashMethods = new Set(unleash.state.requests.slice(unleashRequests).map((r) => r.method));
    expect([...unleashMethods]).toEqual(['GET']);
  });

  it("knows the fake's granted scopes are manifest.yml's (so the green case means something)", async () => {
    expect([...FAKE_BOT_SCOPES].sort()).toEqual((await manifestBotScopes()).sort());
  });

  it('names a Slack token Slack refuses, and never prints it', async () => {
    const report = await doctor({ SLACK_BOT_TOKEN: 'xoxb-revoked-0000000000' });
    expect(report.lines).toContain(
      '✗ Slack token: auth.test refused it (invalid_auth) — fix: set SLACK_BOT_TOKEN to the Bot User OAuth Token (xoxb-…) of the installed app (OAuth & Permissions)',
    );
    expect(report.text).not.toContain('xoxb-revoked');
    expect(report.ok).toBe(false);
  });

  it('names a scope the token lacks', async () => {
    slack.controls.setScopes(FAKE_BOT_SCOPES.filter((s) => s !== 'pins:write'));
    try {
      const report = await doctor();
      expect(report.lines).toContain(
        '✗ Slack scopes: missing pins:write — fix: add it under OAuth & Permissions → Bot Token Scopes (or recreate the app from manifest.yml), then reinstall the app to the workspace and update SLACK_BOT_TOKEN',
      );
      expect(report.ok).toBe(false);
    } finally {
      slack.controls.setScopes(FAKE_BOT_SCOPES);
    }
  });

  it('names a channel without the bot, and a private one Slack hides from it', async () => {
    slack.controls.addChannel('C0NOBOT', { name: 'nobot', members: ['U0JANE'] });
    slack.controls.addChannel('C0SECRET', { name: 'secret', isPrivate: true, members: ['U0JANE'] });
    const catalog = await catalogFile((tree) => {
      tree.features[0].slack.stakeholder_channel = 'C0NOBOT';
      tree.features[1].slack.alerts_channel = 'C0SECRET';
    });
    const report = await doctor({ FAILSAFE_CONFIG: catalog });
    expect(report.lines).toContain(
      '✗ Slack channel C0NOBOT: #nobot: the bot is not a member (ai-support-bot stakeholder_channel) — fix: invite it: /invite @failsafe in #nobot',
    );
    expect(report.lines).toContain(
      '✗ Slack channel C0SECRET: not found (ai-search-summaries alerts_channel) — fix: check the id in failsafe.yml; a private channel must have the bot invited (/invite @failsafe) before Slack shows it',
    );
    expect(report.ok).toBe(false);
  });

  it('names a PagerDuty service and an escalation policy the account does not have', async () => {
    const catalog = await catalogFile((tree) => {
      tree.features[0].pagerduty.service = 'PNOSVC';
      tree.features[1].pagerduty.escalation_policy = 'PNOEP';
    });
    const report = await doctor({ FAILSAFE_CONFIG: catalog });
    expect(report.lines).toContain(
      "✗ PagerDuty service PNOSVC: not found — fix: correct pagerduty.service of ai-support-bot in failsafe.yml (the P… id in the PagerDuty URL), or check the token's account",
    );
    expect(report.lines).toContain(
      "✗ PagerDuty escalation policy PNOEP: not found — fix: correct pagerduty.escalation_policy of ai-search-summaries in failsafe.yml (the P… id in the PagerDuty URL), or check the token's account",
    );
    expect(report.ok).toBe(false);
  });

  it('names a From email that is no PagerDuty user', async () => {
    const report = await doctor({ PAGERDUTY_FROM_EMAIL: 'nobody@example.com' });
    expect(report.lines).toContain(
      '✗ PagerDuty From nobody@example.com: no PagerDuty user has this email — fix: set PAGERDUTY_FROM_EMAIL to the login email of a PagerDuty user (People → Users); PagerDuty refuses incidents without one',
    );
    expect(report.ok).toBe(false);
  });

  it('names a PagerDuty token PagerDuty refuses', async () => {
    const report = await doctor({ PAGERDUTY_API_TOKEN: 'pd-token-that-was-revoked' });
    expect(report.lines).toContain(
      "✗ PagerDuty token: GET /users refused it (PagerDuty refused Failsafe's credentials (401)) — fix: set PAGERDUTY_API_TOKEN to a REST API key (Integrations → API Access Keys; a read-only key cannot create incidents)",
    );
    expect(report.text).not.toContain('pd-token-that-was-revoked');
    expect(report.ok).toBe(false);
  });

  it('names Unleash admin and client tokens Unleash refuses, by environment and never by value', async () => {
    const report = await doctor({
      UNLEASH_ADMIN_TOKEN: '*:*.not-an-admin-token',
      UNLEASH_CLIENT_TOKEN: 'default:production.not-a-client-token',
    });
    expect(report.lines).toContain(
      "✗ Unleash admin token: refused (Unleash refused Failsafe's credentials (401)) — fix: set UNLEASH_ADMIN_TOKEN to an admin API token (Admin → API access → New token, type Admin)",
    );
    expect(report.lines).toContain(
      '✗ Unleash client token for production: the Client API answered 401 — fix: set UNLEASH_CLIENT_TOKEN to client (backend SDK) tokens, one per environment, comma-separated',
    );
    expect(report.text).not.toContain('not-an-admin-token');
    expect(report.text).not.toContain('not-a-client-token');
    expect(report.ok).toBe(false);
  });

  it('names a flag that does not exist, and one without a flexibleRollout to ramp', async () => {
    const catalog = await catalogFile((tree) => {
      tree.features[0].unleash.flag = 'ai-missing';
      tree.features[1].unleash.flag = 'ai-no-ramp';
    });
    const report = await doctor({ FAILSAFE_CONFIG: catalog });
    expect(report.lines).toContain(
      '✗ Unleash flag ai-missing in default/production: no flag ai-missing in project default — fix: create it in Unleash, or correct features ai-support-bot unleash in failsafe.yml',
    );
    expect(report.lines).toContain(
      '✗ Unleash flag ai-no-ramp in default/production: no flexibleRollout strategy in production: restore ramps set its percentage — fix: add a Gradual rollout strategy to ai-no-ramp in production',
    );
    expect(report.ok).toBe(false);
  });

  it('names a public URL where nothing answers', async () => {
    const closed = createServer();
    const url = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    const report = await doctor({ FAILSAFE_PUBLIC_URL: url });
    expect(report.lines).toContain(
      `✗ Public URL ${url}: /healthz did not answer (Failsafe did not answer) — fix: start Failsafe there, or set FAILSAFE_PUBLIC_URL to the https address where it runs (the host of manifest.yml’s request URLs)`,
    );
    expect(report.ok).toBe(false);
  });

  it('names a database that was never migrated, or is a migration behind, and changes neither', async () => {
    const never = await doctor({ DATABASE_URL: unmigrated.url });
    const fix = '— fix: run `npm run db:migrate` with the same DATABASE_URL (start-up also migrates)';
    expect(never.lines).toContain(
      `✗ Database: reachable, not migrated (${migrations} migrations pending) ${fix}`,
    );
    expect(await unmigrated.query("SELECT to_regclass('_prisma_migrations') AS t")).toEqual([{ t: null }]);

    const oneBehind = await createTestDatabase();
    try {
      const [last] = await oneBehind.query<{ migration_name: string }>(
        'DELETE FROM _prisma_migrations WHERE migration_name = (SELECT max(migration_name) FROM _prisma_migrations) RETURNING migration_name',
      );
      const behind = await doctor({ DATABASE_URL: oneBehind.url });
      expect(behind.lines).toContain(`✗ Database: 1 pending migration(s): ${last?.migration_name} ${fix}`);
      expect(await oneBehind.query('SELECT 1 FROM _prisma_migrations')).toHaveLength(migrations - 1);
      expect(behind.ok).toBe(false);
    } finally {
      await oneBehind.drop();
    }
  });

  it('names a database it cannot reach, without the connection string', async () => {
    const url = new URL(db.url);
    url.password = 'doctor-db-secret';
    url.pathname = '/failsafe_no_such_database';
    const report = await doctor({ DATABASE_URL: url.toString() });
    expect(report.lines).toContain(
      '✗ Database: cannot connect (DatabaseDoesNotExist) — fix: check DATABASE_URL: host, port, database, user and password',
    );
    expect(report.text).not.toContain('doctor-db-secret');
    expect(report.ok).toBe(false);
  });

  it('says, without failing, when the signed alert sources are not set up', async () => {
    const report = await doctor({ LANGFUSE_WEBHOOK_SECRETS: '', GRAFANA_WEBHOOK_SECRET: '' });
    expect(report.lines).toContain(
      '– Langfuse webhook: LANGFUSE_WEBHOOK_SECRETS not set: POST /alerts/langfuse answers 404 not_configured',
    );
    expect(report.lines).toContain(
      '– Grafana signature: GRAFANA_WEBHOOK_SECRET not set: POST /alerts/grafana takes the bearer token',
    );
    expect(report.ok).toBe(true);
  });

  it("stops at a setting start-up would refuse, with start-up's own words", async () => {
    const { SLACK_SIGNING_SECRET: _, ...withoutSecret } = base;
    const report = await runDoctor(withoutSecret);
    expect(formatReport(report)).toContain(
      '✗ Configuration: SLACK_SIGNING_SECRET: required when SLACK_BOT_TOKEN is set (Basic Information → Signing Secret in the Slack app) — fix: see README § Going live',
    );
    expect(report.checks).toHaveLength(1);
    expect(report.ok).toBe(false);
  });

  it('exits 0 from `npm run doctor` when all pass, 1 from `failsafe doctor` when one fails', async () => {
    // --ignore-scripts skips predoctor's `prisma generate`: rewriting src/generated while other
    // test files import it could hand them a half-written client.
    const green = await run('npm', ['run', '--silent', '--ignore-scripts', 'doctor'], base);
    expect(green.stdout).toContain('✓ Slack token (bot @failsafe in T0FAILSAFE)');
    expect(green.stdout).toContain('All checks passed.');
    expect(green.code).toBe(0);

    const bin = await run(process.execPath, ['bin/failsafe.js', 'doctor'], {
      ...base,
      PAGERDUTY_FROM_EMAIL: 'nobody@example.com',
    });
    expect(bin.stdout).toContain('✗ PagerDuty From nobody@example.com: no PagerDuty user has this email');
    expect(bin.stdout).toContain('1 check(s) failed.');
    expect(bin.code).toBe(1);
  });
});
