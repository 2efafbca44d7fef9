// `npm run doctor`: checks a real configuration end to end without changing anything, and
// says for each failure what to change. It reads the environment through loadConfig (the
// same rules as start-up) and the catalog through loadCatalog, then asks each upstream only
// read-only questions. The door of src/doctor: the checks live one group per file.
import type { Fetch } from '../adapters/http.ts';
import { createPagerDutyRest } from '../adapters/pagerduty.ts';
import { createSlackApi } from '../adapters/slack.ts';
import { type Catalog, CatalogError, loadCatalog } from '../config/catalog.ts';
import { resolveCatalogPath } from '../config/catalog-path.ts';
import { type Config, ConfigError, loadConfig } from '../config/env.ts';
import { type Check, fail, formatCheck, pass } from './check.ts';
import { checkDatabase } from './database.ts';
import { manifestBotScopes } from './manifest.ts';
import { checkPagerDuty } from './pagerduty.ts';
import { checkPublicUrl } from './public-url.ts';
import { checkSlack } from './slack.ts';
import { checkUnleash } from './unleash.ts';
import { checkSignedWebhooks } from './webhooks.ts';

export { type Check, formatCheck } from './check.ts';

export interface DoctorOptions {
  fetch?: Fetch;
  /** The manifest whose bot scopes the token must have (default: the repository's manifest.yml). */
  manifestPath?: string;
}

export interface DoctorReport {
  ok: boolean;
  checks: Check[];
}

export async function runDoctor(
  env: Record<string, string | undefined>,
  options: DoctorOptions = {},
): Promise<DoctorReport> {
  const loaded = await loadEverything(env);
  if ('failure' in loaded) return report([loaded.failure]);
  const { config, catalog, catalogPath } = loaded;
  const fetch = options.fetch ?? globalThis.fetch;
  const slack = createSlackApi({ baseUrl: config.slack.apiUrl, token: config.slack.botToken, fetch });
  const pd = config.pagerduty;
  const rest =
    pd.apiToken && pd.fromEmail
      ? createPagerDutyRest({ baseUrl: pd.apiUrl, token: pd.apiToken, fromEmail: pd.fromEmail, fetch })
      : null;
  const groups = await Promise.all([
    manifestBotScopes(options.manifestPath).then((scopes) => checkSlack(config, catalog, slack, scopes)),
    checkPagerDuty(catalog, rest, pd.fromEmail),
    checkUnleash(config, catalog, fetch),
    checkPublicUrl(config.publicUrl, fetch).then((c) => [c]),
    checkDatabase(config).then((c) => [c]),
    checkSignedWebhooks(config),
  ]);
  const features = catalog.features.length;
  return report([
    pass('Configuration', `production settings, ${catalogPath}: ${features} features`),
    ...groups.flat(),
  ]);
}

function report(checks: Check[]): DoctorReport {
  return { ok: checks.every((c) => c.status !== 'fail'), checks };
}

type Loaded = { config: Config; catalog: Catalog; catalogPath: string } | { failure: Check };

/** Start-up's own loading: a setting start-up would refuse is the first thing to fix. */
async function loadEverything(env: Record<string, string | undefined>): Promise<Loaded> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError)
      return { failure: fail('Configuration', error.message, 'see README § Going live') };
    throw error;
  }
  if (config.mode === 'sandbox')
    return {
      failure: fail(
        'Configuration',
        'nothing real is configured, so Failsafe would start the sandbox',
        'set SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET and FAILSAFE_ALERT_TOKEN (README § Going live); the doctor checks a real configuration',
      ),
    };
  const catalogPath = await resolveCatalogPath(config);
  try {
    return { config, catalog: await loadCatalog(catalogPath), catalogPath };
  } catch (error) {
    if (error instanceof CatalogError)
      return { failure: fail('Catalog', error.message, 'correct failsafe.yml (see failsafe.example.yml)') };
    throw error;
  }
}

/** The checklist as printed, one line per check. */
export function formatReport(doctor: DoctorReport): string {
  const failed = doctor.checks.filter((c) => c.status === 'fail').length;
  const summary = failed ? `${failed} check(s) failed.` : 'All checks passed.';
  return `${[...doctor.checks.map(formatCheck), summary].join('\n')}\n`;
}
