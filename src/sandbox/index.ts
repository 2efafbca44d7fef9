// `npm start` with nothing configured: simulated Slack, PagerDuty and (unless UNLEASH_URL is
// set) Unleash on loopback (the same contract-faithful fakes the tests use), and a page at
// /sandbox showing what Failsafe did.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type Catalog, loadCatalog } from '../config/catalog.ts';
import { resolveCatalogPath } from '../config/catalog-path.ts';
import type { Config } from '../config/env.ts';
import type { Router } from '../http/router.ts';
import { registerActionRoutes } from './action-routes.ts';
import { registerChannelRoutes } from './channel-routes.ts';
import { knownChannels } from './channels.ts';
import { createConsoleState, openViews, registerConsoleRoutes } from './console-routes.ts';
import { startFakePagerDuty } from './fakes/pagerduty.ts';
import { rosterUsers } from './fakes/pagerduty-roster.ts';
import { startFakeSlack } from './fakes/slack.ts';
import { type FakeUnleash, startFakeUnleash } from './fakes/unleash.ts';
import { registerLiveRoutes } from './live-events.ts';
import { consolePost } from './origin.ts';
import { renderSandboxPage } from './page.ts';
import { renderIncidentChannels } from './page-incidents.ts';
import { renderConsole, renderFlags } from './page-kill.ts';
import { renderLive } from './page-messages.ts';

export type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

/**
 * Where the sandbox's Failsafe listens (its fakes use loopback too): the console sends signed
 * Slack commands for anyone who reaches it, so it must not answer on the machine's network address.
 */
export const SANDBOX_HOST = '127.0.0.1';

/** The alert token is kept in the data directory so a copied curl keeps working across restarts. */
async function sandboxAlertToken(dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'sandbox-alert-token');
  const existing = await readFile(file, 'utf8').catch(() => '');
  if (existing.trim().length >= 16) return existing.trim();
  const token = `sandbox-${randomBytes(12).toString('hex')}`;
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  return token;
}

/** Every catalog flag, enabled in its environment and its drill environment (or development). */
function unleashFlags(catalog: Catalog) {
  return catalog.features.flatMap(({ unleash }) => {
    if (!unleash) return [];
    const environments = [...new Set([unleash.environment, unleash.drillEnvironment ?? 'development'])];
    return [{ project: unleash.project, flag: unleash.flag, environments }];
  });
}

/**
 * The simulated Slack and PagerDuty live in memory and start empty, so the sandbox's database
 * starts empty too: one kept across restarts answered a re-pasted curl with "repeat" and
 * edited messages the new fake Slack never had. Its own directory, never the embedded
 * database a production start uses (`<dataDir>/data`).
 */
async function freshSandboxData(config: Config): Promise<string> {
  const dir = path.join(config.dataDir, 'sandbox');
  if (!config.databaseUrl) await rm(dir, { recursive: true, force: true });
  return dir;
}

export async function startSandbox(config: Config) {
  // Fake Slack and PagerDuty next to real settings is how a real alert once reached a fake PagerDuty.
  if (config.mode !== 'sandbox') throw new Error(`startSandbox: config.mode is ${config.mode}`);
  // The file startFailsafe will load; a catalog problem stops start-up here, before anything listens.
  const catalog = await loadCatalog(await resolveCatalogPath(config));
  const flags = config.unleash.url ? null : unleashFlags(catalog);
  const [slack, pagerduty, unleash] = await Promise.all([
    startFakeSlack(),
    startFakePagerDuty(),
    flags ? startFakeUnleash({ flags }) : Promise.resolve<FakeUnleash | null>(null),
  ]);
  const alertToken = config.alertToken ?? (await sandboxAlertToken(config.dataDir));
  const dataDir = await freshSandboxData(config);
  const webhookSecret = randomBytes(16).toString('hex');
  // Kept so the console can sign the slash commands and modal submissions it sends the app.
  const signingSecret = randomBytes(16).toString('hex');
  // The catalog's alerts channels first: commands are typed in the first one by default,
  // where its kills are announced.
  const catalogChannels = [
    ...new Set(catalog.features.flatMap((f) => [f.slack.alertsChannel, f.slack.stakeholderChannel])),
  ];
  const consoleState = createConsoleState(slack.state.users, catalogChannels[0] ?? 'C0DEFAULT');
  const sandboxed: Config = {
    ...config,
    dataDir,
    alertToken,
    slack: {
      ...config.slack,
      botToken: slack.token,
      signingSecret,
      apiUrl: slack.url,
    },
    pagerduty: {
      ...config.pagerduty,
      apiToken: pagerduty.token,
      fromEmail: 'failsafe@example.com',
      apiUrl: pagerduty.url,
      eventsUrl: pagerduty.eventsUrl,
      webhookSecrets: [webhookSecret],
    },
    unleash: unleash
      ? { url: unleash.url, adminToken: unleash.adminToken, clientToken: unleash.clientTokens.join(',') }
      : config.unleash,
  };
  return {
    config: sandboxed,
    slack,
    pagerduty,
    /** Null when UNLEASH_URL points at a real Unleash. */
    unleash,
    /** `appUrl` is where the simulated PagerDuty sends its webhooks. */
    register(router: Router, appUrl: string): void {
      pagerduty.setWebhookTarget(`${appUrl}/webhooks/pagerduty`, [webhookSecret]);
      // Messages, 📌 reactions and shortcuts in the simulated Slack reach the app as events.
      slack.controls.setEventTarget(`${appUrl}/slack/events`, signingSecret);
      // "Acknowledge in the PagerDuty app": the simulated phone, so a new user sees the
      // Slack message change exactly as it would after a real tap.
      consolePost(router, '/sandbox/pagerduty/:id/:status', async (req, res, ctx) => {
        req.resume();
        const status = ctx.params.status === 'resolve' ? 'resolved' : 'acknowledged';
        const incident = pagerduty.state.incidents.find((i) => i.id === ctx.params.id);
        const assignee = incident?.assignments[0]?.assignee.id;
        const user = rosterUsers(pagerduty.state.roster).find((u) => u.id === assignee);
        if (incident && user) await pagerduty.actFromApp(incident.id, status, user);
        res.writeHead(303, { location: '/sandbox' });
        res.end();
      });
      const consoleDeps = { slack, signingSecret, appUrl, catalogChannels };
      registerConsoleRoutes(router, consoleDeps, consoleState);
      registerActionRoutes(router, consoleDeps, consoleState);
      registerChannelRoutes(router, slack, consoleState);
      const live = () => renderLive(slack, pagerduty.state.incidents, consoleState.userId);
      const flags = () => unleash?.state.flags ?? null;
      registerLiveRoutes(router, { slack, incidents: () => pagerduty.state.incidents, flags }, live);
      router.route('GET', '/sandbox', (_req, res) => {
        const consoleHtml = renderConsole({
          users: slack.state.users,
          channels: knownChannels(slack, catalogChannels),
          state: consoleState,
          views: openViews(slack, consoleState),
          responses: slack.state.responses,
        });
        const html = renderSandboxPage({
          live: live(),
          sections: [
            consoleHtml,
            renderIncidentChannels(slack, consoleState.userId),
            renderFlags(unleash?.state.flags ?? null),
          ],
        });
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(html);
      });
    },
    async close(): Promise<void> {
      await Promise.all([slack.close(), pagerduty.close(), unleash?.close()]);
    },
  };
}

// The shell fills in the time the curl is pasted: a fixed date made the first postmortem's
// "Detect" months long. Only the quotes around it are broken open, for `$(date …)` to run.
const NOW = '__NOW__';
const SHELL_NOW = `'"$(date -u +%Y-%m-%dT%H:%M:%SZ)"'`;

/** The banner's sample Alertmanager payload; the console's tests send it too. */
export function sampleAlert(startsAt: string, fingerprint = 'sandbox0001') {
  const group = fingerprint === 'sandbox0001' ? '' : `,fp="${fingerprint}"`;
  return {
    version: '4',
    groupKey: `{}:{alertname="AnswerQualityDrop"${group}}`,
    status: 'firing',
    receiver: 'failsafe',
    groupLabels: { alertname: 'AnswerQualityDrop' },
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager.local',
    alerts: [
      {
        status: 'firing',
        labels: { alertname: 'AnswerQualityDrop', ai_feature: 'ai-support-bot', severity: 'critical' },
        annotations: { summary: 'Support bot answers failing evals (bad refund advice up 4x)' },
        startsAt,
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus.local/graph',
        fingerprint,
      },
    ],
  };
}

export function sandboxBanner(url: string, alertToken: string): string {
  const sample = JSON.stringify(sampleAlert(NOW));
  return [
    '',
    '  Failsafe is running in SANDBOX mode: Slack, PagerDuty and (without UNLEASH_URL) Unleash are',
    '  simulated on this machine.',
    `  App:      ${url}`,
    `  Console:  ${url}/sandbox   (the Slack messages, PagerDuty incidents and Unleash flags)`,
    '            Try /ai-kill from the console: /ai-kill ai-support-bot hallucinated refunds',
    '            or declare an incident: /ai-incident ai-support-bot sev1 Refund answers invent policies',
    '',
    '  It starts empty every time (its data is in FAILSAFE_DATA_DIR/sandbox, cleared at start).',
    '',
    '  Send a sample Alertmanager alert:',
    '',
    `  curl -sS -X POST ${url}/alerts/alertmanager \\`,
    `    -H 'Authorization: Bearer ${alertToken}' -H 'Content-Type: application/json' \\`,
    `    -d '${sample.replace(NOW, SHELL_NOW)}'`,
    '',
    '  Go live: set SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET and FAILSAFE_ALERT_TOKEN (and the PagerDuty and',
    '  Unleash settings) and write failsafe.yml; see README.',
    '',
  ].join('\n');
}
