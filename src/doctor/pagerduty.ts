// PagerDuty: the REST token works, PAGERDUTY_FROM_EMAIL is a user of the account (PagerDuty
// refuses every write without one), and every service and escalation policy of the catalog exists.
import { UpstreamError } from '../adapters/http.ts';
import type { PagerDutyRest } from '../adapters/pagerduty.ts';
import type { Catalog } from '../config/catalog.ts';
import { type Check, fail, pass, skip, transientFix, whatWentWrong } from './check.ts';

const TOKEN_FIX =
  'set PAGERDUTY_API_TOKEN to a REST API key (Integrations → API Access Keys; a read-only key cannot create incidents)';

export async function checkPagerDuty(
  catalog: Catalog,
  rest: PagerDutyRest | null,
  fromEmail: string | undefined,
): Promise<Check[]> {
  if (!rest || !fromEmail) {
    const routed = catalog.features.filter((f) => f.pagerduty.service && !f.pagerduty.routingKey);
    if (routed.length === 0)
      return [skip('PagerDuty REST', 'not configured: pages go through the Events API and nobody is named')];
    return [
      fail(
        'PagerDuty REST',
        `not configured, but ${routed.map((f) => f.key).join(', ')} page a service with no routing_key`,
        'set PAGERDUTY_API_TOKEN and PAGERDUTY_FROM_EMAIL, or give those features a routing_key',
      ),
    ];
  }
  let user: Awaited<ReturnType<PagerDutyRest['findUserByEmail']>>;
  try {
    user = await rest.findUserByEmail(fromEmail);
  } catch (error) {
    const refused = error instanceof UpstreamError && error.kind === 'config';
    const fix = (refused ? TOKEN_FIX : transientFix(error, 'PagerDuty')) ?? TOKEN_FIX;
    return [
      fail('PagerDuty token', `GET /users refused it (${whatWentWrong(error)})`, fix),
      skip('PagerDuty services and policies', 'not checked: the token does not work'),
    ];
  }
  const from = user
    ? pass(`PagerDuty From ${fromEmail}`, `user ${user.id}, ${user.name}`)
    : fail(
        `PagerDuty From ${fromEmail}`,
        'no PagerDuty user has this email',
        'set PAGERDUTY_FROM_EMAIL to the login email of a PagerDuty user (People → Users); PagerDuty refuses incidents without one',
      );
  return [pass('PagerDuty token', 'REST API key accepted'), from, ...(await catalogObjects(catalog, rest))];
}

async function catalogObjects(catalog: Catalog, rest: PagerDutyRest): Promise<Check[]> {
  const services = uses(catalog, (f) => f.pagerduty.service);
  const policies = uses(catalog, (f) => f.pagerduty.escalationPolicy);
  const checks: Check[] = [];
  for (const [id, keys] of services)
    checks.push(await lookup(`PagerDuty service ${id}`, keys, 'service', () => rest.getService(id)));
  for (const [id, keys] of policies)
    checks.push(
      await lookup(`PagerDuty escalation policy ${id}`, keys, 'escalation_policy', () =>
        rest.getEscalationPolicy(id),
      ),
    );
  return checks;
}

function uses(catalog: Catalog, id: (f: Catalog['features'][number]) => string | undefined) {
  const byId = new Map<string, string[]>();
  for (const f of catalog.features) {
    const value = id(f);
    if (value) byId.set(value, [...(byId.get(value) ?? []), f.key]);
  }
  return byId;
}

async function lookup(
  label: string,
  keys: string[],
  field: string,
  get: () => Promise<{ name: string }>,
): Promise<Check> {
  try {
    return pass(label, (await get()).name);
  } catch (error) {
    const missing = error instanceof UpstreamError && error.status === 404;
    if (missing)
      return fail(
        label,
        'not found',
        `correct pagerduty.${field} of ${keys.join(', ')} in failsafe.yml (the P… id in the PagerDuty URL), or check the token's account`,
      );
    return fail(label, whatWentWrong(error), transientFix(error, 'PagerDuty') ?? TOKEN_FIX);
  }
}
