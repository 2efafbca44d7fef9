// A feature's PagerDuty escalation policy: the catalog's, else its service's. Null when the
// feature pages through the Events API only, so nobody on call can be looked up.
import type { PagerDutyRest } from '../adapters/pagerduty.ts';
import type { Feature } from '../config/catalog.ts';

export async function escalationPolicyOf(
  rest: Pick<PagerDutyRest, 'getService'>,
  pagerduty: Feature['pagerduty'],
): Promise<string | null> {
  if (pagerduty.escalationPolicy) return pagerduty.escalationPolicy;
  return pagerduty.service ? (await rest.getService(pagerduty.service)).escalationPolicyId : null;
}
