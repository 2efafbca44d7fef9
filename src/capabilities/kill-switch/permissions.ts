// Who may kill or restore a feature: its owner, whoever PagerDuty has on call for it, the
// catalog's admin group, and the users and groups the catalog lists for the feature.
import type { Feature } from '../../config/catalog.ts';
import type { KillBaseDeps } from './deps.ts';

export type FlagAction = 'kill' | 'restore';

export interface Permission {
  allowed: boolean;
  /** Why they may, for the audit row ("owner", "on call", "group S0…"); who may, when refused. */
  because: string;
}

export async function permissionFor(
  deps: KillBaseDeps,
  feature: Feature,
  userId: string,
  action: FlagAction,
): Promise<Permission> {
  if (feature.owner.slack === userId) return { allowed: true, because: 'owner' };
  const listed = feature.permissions[action];
  if (listed.includes(userId)) return { allowed: true, because: `listed for ${action}` };
  const groups = [...listed.filter((id) => id.startsWith('S'))];
  const admin = deps.catalog.catalog.defaults.adminGroup;
  if (admin) groups.push(admin);
  for (const group of groups) {
    // A group that cannot be read grants nothing; the refusal names who could have acted.
    const members = await deps.slack.usergroupMembers(group).catch((): string[] => []);
    if (members.includes(userId)) return { allowed: true, because: `member of ${group}` };
  }
  if (await isOnCall(deps, feature, userId)) return { allowed: true, because: 'on call' };
  const who = [`the owner <@${feature.owner.slack}>`, 'whoever is on call for it'];
  if (admin) who.push(`<!subteam^${admin}>`);
  for (const id of listed) who.push(id.startsWith('S') ? `<!subteam^${id}>` : `<@${id}>`);
  return { allowed: false, because: who.join(', ') };
}

async function isOnCall(deps: KillBaseDeps, feature: Feature, userId: string): Promise<boolean> {
  const rest = deps.pagerduty.rest;
  if (!rest) return false;
  try {
    const { person } = await deps.people.pagerDutyPersonFor(userId);
    if (!person) return false;
    const policy =
      feature.pagerduty.escalationPolicy ??
      (feature.pagerduty.service
        ? (await rest.getService(feature.pagerduty.service)).escalationPolicyId
        : null);
    if (!policy) return false;
    return (await rest.listOncalls(policy)).some((o) => o.user.id === person.id);
  } catch (error) {
    deps.logger.warn({ err: error, userId }, 'could not ask PagerDuty who is on call; not counting it');
    return false;
  }
}
