// Unleash: the admin token may write (kills and ramps go through it), each client token may
// read what the SDKs read (kills are confirmed there), and every catalog flag exists in its
// project and environment with a flexibleRollout strategy for ramps to set.
import {
  clientTokenList,
  clientTokenStatus,
  createFlagWatcher,
  tokenEnvironment,
} from '../adapters/flags.ts';
import type { Fetch } from '../adapters/http.ts';
import { UpstreamError } from '../adapters/http.ts';
import { createUnleashAdmin, type UnleashAdmin } from '../adapters/unleash-admin.ts';
import { type Catalog, type FlaggedFeature, hasKillSwitch } from '../config/catalog.ts';
import type { Config } from '../config/env.ts';
import { type Check, fail, pass, skip, transientFix, whatWentWrong } from './check.ts';

const ADMIN_FIX =
  'set UNLEASH_ADMIN_TOKEN to an admin API token (Admin → API access → New token, type Admin)';
const CLIENT_FIX =
  'set UNLEASH_CLIENT_TOKEN to client (backend SDK) tokens, one per environment, comma-separated';

export async function checkUnleash(config: Config, catalog: Catalog, fetch: Fetch): Promise<Check[]> {
  const flagged = catalog.features.filter(hasKillSwitch);
  const { url, adminToken, clientToken } = config.unleash;
  if (!url || !adminToken) {
    if (flagged.length === 0) return [skip('Unleash', 'not configured and no feature has a flag')];
    const keys = flagged.map((f) => f.key).join(', ');
    return [
      fail('Unleash', `not configured, but ${keys} name a flag`, 'set UNLEASH_URL and UNLEASH_ADMIN_TOKEN'),
    ];
  }
  const admin = createUnleashAdmin({ baseUrl: url, token: adminToken, fetch });
  const adminCheck = await probe('Unleash admin token', ADMIN_FIX, () => admin.checkToken());
  const tokens = clientTokenList(clientToken);
  const clientChecks = tokens.length
    ? await Promise.all(tokens.map((token) => checkClient(url, token, fetch)))
    : [fail('Unleash client token', 'not set: kills cannot be confirmed where SDKs read flags', CLIENT_FIX)];
  if (adminCheck.status === 'fail')
    return [adminCheck, ...clientChecks, skip('Unleash flags', 'not checked: the admin token does not work')];
  const watcher = createFlagWatcher({ baseUrl: url, clientTokens: tokens });
  const flags: Check[] = [];
  const seen = new Set<string>();
  for (const feature of flagged) {
    // Two features may share one kill switch: one line for it.
    const { project, flag, environment } = feature.unleash;
    if (seen.has(`${project}/${flag}/${environment}`)) continue;
    seen.add(`${project}/${flag}/${environment}`);
    flags.push(await checkFlag(admin, feature, watcher.canWatch));
  }
  watcher.close();
  return [adminCheck, ...clientChecks, ...flags];
}

async function probe(label: string, fix: string, call: () => Promise<void>): Promise<Check> {
  try {
    await call();
    return pass(label, 'accepted');
  } catch (error) {
    return fail(label, `refused (${whatWentWrong(error)})`, transientFix(error, 'Unleash') ?? fix);
  }
}

/** A client token is named by its environment, never shown. */
async function checkClient(url: string, token: string, fetch: Fetch): Promise<Check> {
  const label = `Unleash client token for ${tokenEnvironment(token) ?? 'every environment'}`;
  try {
    const status = await clientTokenStatus(url, token, { fetch });
    if (status === 200) return pass(label, 'accepted by the Client API');
    return fail(label, `the Client API answered ${status}`, CLIENT_FIX);
  } catch (error) {
    return fail(label, whatWentWrong(error), transientFix(error, 'Unleash') ?? CLIENT_FIX);
  }
}

async function checkFlag(
  admin: UnleashAdmin,
  feature: FlaggedFeature,
  canWatch: (environment: string) => boolean,
): Promise<Check> {
  const { project, flag, environment, drillEnvironment } = feature.unleash;
  const label = `Unleash flag ${flag} in ${project}/${environment}`;
  const where = `features ${feature.key} unleash in failsafe.yml`;
  let environments: Awaited<ReturnType<UnleashAdmin['getFlag']>>;
  try {
    environments = await admin.getFlag({ project, flag });
  } catch (error) {
    if (error instanceof UpstreamError && error.status === 404)
      return fail(
        label,
        `no flag ${flag} in project ${project}`,
        `create it in Unleash, or correct ${where}`,
      );
    return fail(label, whatWentWrong(error), transientFix(error, 'Unleash') ?? ADMIN_FIX);
  }
  const names = environments.map((e) => e.name);
  const missing = [environment, ...(drillEnvironment ? [drillEnvironment] : [])].filter(
    (e) => !names.includes(e),
  );
  if (missing.length)
    return fail(
      label,
      `no environment ${missing.join(', ')} (it has ${names.join(', ')})`,
      `correct ${where}`,
    );
  const env = environments.find((e) => e.name === environment);
  if (!env?.strategies.some((s) => s.name === 'flexibleRollout' && !s.disabled))
    return fail(
      label,
      `no flexibleRollout strategy in ${environment}: restore ramps set its percentage`,
      `add a Gradual rollout strategy to ${flag} in ${environment}`,
    );
  if (!canWatch(environment))
    return fail(label, `no client token for ${environment}: a kill cannot be confirmed`, CLIENT_FIX);
  return pass(label, `${env.enabled ? 'on' : 'off'}, flexibleRollout`);
}
