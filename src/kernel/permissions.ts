// Who may do what, in one place. Every command, button, modal submission and download asks
// `mayDo` before it changes anything (modal submissions ask again: a modal can stay open long
// after the person lost the right), and posts only where `postChannel` says. README's
// "Who may" table is WHO below, in words; keep the two the same.
import type { Feature } from '../config/catalog.ts';
import type { AppDeps } from '../deps.ts';
import type { Incident } from '../generated/prisma/client.ts';
import { escalationPolicyOf } from './escalation-policy.ts';

export type Act =
  | 'kill'
  | 'restore'
  | 'drill'
  | 'update'
  | 'postmortem'
  | 'review'
  | 'budget_override'
  | 'incident_change'
  | 'page_action';

export type Role = 'owner' | 'lead' | 'on_call' | 'admin' | 'listed' | 'incident_member';

/** The roles that grant each act. `listed` is the catalog's `permissions.kill` / `restore`. */
export const WHO: Record<Act, readonly Role[]> = {
  kill: ['owner', 'lead', 'on_call', 'admin', 'listed'],
  restore: ['owner', 'lead', 'on_call', 'admin', 'listed'],
  drill: ['owner', 'on_call', 'admin', 'listed'],
  update: ['incident_member', 'lead', 'owner', 'on_call', 'admin'],
  postmortem: ['incident_member', 'lead', 'owner', 'on_call', 'admin'],
  review: ['lead', 'owner'],
  budget_override: ['admin'],
  incident_change: ['incident_member', 'lead', 'owner', 'on_call', 'admin'],
  page_action: ['incident_member', 'lead', 'owner', 'on_call', 'admin', 'listed'],
};

const VERB: Record<Act, string> = {
  kill: 'turn off',
  restore: 'restore',
  drill: 'drill',
  update: 'post a stakeholder update for',
  postmortem: 'read or share the postmortem of',
  review: 'mark reviewed the postmortem of',
  budget_override: 'override the error-budget freeze of',
  incident_change: 'change the incident of',
  page_action: 'act on the page of',
};

export type PermissionDeps = Pick<AppDeps, 'catalog' | 'logger' | 'people'> & {
  slack: Pick<AppDeps['slack'], 'usergroupMembers' | 'channelMembers'>;
  pagerduty: { rest: Pick<NonNullable<AppDeps['pagerduty']['rest']>, 'getService' | 'listOncalls'> | null };
};

export interface Subject {
  feature: Feature;
  /** The incident the act is about, if any: its lead and its channel's members count. */
  incident?: Pick<Incident, 'leadSlackId' | 'channelId'> | null;
}

export interface Permission {
  allowed: boolean;
  /** Why they may, for the audit row ("owner", "on call", …); who may, when refused. */
  because: string;
}

export async function mayDo(
  deps: PermissionDeps,
  act: Act,
  subject: Subject,
  userId: string,
): Promise<Permission> {
  const { feature, incident } = subject;
  const roles = WHO[act];
  const listed = listedFor(feature, act);
  const admin = deps.catalog.catalog.defaults.adminGroup;
  const has = (role: Role) => roles.includes(role);
  if (has('owner') && feature.owner.slack === userId) return yes('owner');
  if (has('lead') && incident?.leadSlackId === userId) return yes('incident lead');
  if (has('listed') && listed.includes(userId)) return yes(`listed for ${act}`);
  const groups = has('listed') ? listed.filter((id) => id.startsWith('S')) : [];
  if (has('admin') && admin) groups.push(admin);
  for (const group of groups) {
    // A group that cannot be read grants nothing; the refusal names who could have acted.
    const members = await deps.slack.usergroupMembers(group).catch((): string[] => []);
    if (members.includes(userId)) return yes(`member of ${group}`);
  }
  if (has('incident_member') && incident?.channelId) {
    const members = await deps.slack.channelMembers(incident.channelId).catch((error: unknown) => {
      deps.logger.warn({ err: error }, 'could not read the incident channel members; not counting them');
      return [] as string[];
    });
    if (members.includes(userId)) return yes('incident channel member');
  }
  if (has('on_call') && (await isOnCall(deps, feature, userId))) return yes('on call');
  return { allowed: false, because: whoMay(act, subject, admin, listed) };
}

/** The private refusal: what they may not do and whom to ask instead. */
export function refusal(act: Act, feature: Pick<Feature, 'key'>, permission: Permission): string {
  return `You may not ${VERB[act]} \`${feature.key}\`. Ask ${permission.because}. Nothing was changed.`;
}

/** The channels an act about `subject` may post in: the incident's own and the feature's. */
export function allowedChannels(subject: Subject): string[] {
  const { feature, incident } = subject;
  const channels = [feature.slack.alertsChannel, feature.slack.stakeholderChannel];
  if (incident?.channelId) channels.unshift(incident.channelId);
  return [...new Set(channels)];
}

/** Where to post: the channel it was asked in when that is allowed, else the incident's own. */
export function postChannel(subject: Subject, askedIn: string | null): string {
  const allowed = allowedChannels(subject);
  return askedIn && allowed.includes(askedIn) ? askedIn : (allowed[0] as string);
}

function listedFor(feature: Feature, act: Act): string[] {
  if (act === 'restore') return feature.permissions.restore;
  return act === 'kill' || act === 'drill' || act === 'page_action' ? feature.permissions.kill : [];
}

function whoMay(act: Act, subject: Subject, admin: string | undefined, listed: string[]): string {
  const roles = WHO[act];
  const who: string[] = [];
  const named = new Set<string>();
  const add = (id: string, text: string) => {
    if (named.has(id)) return;
    named.add(id);
    who.push(text);
  };
  const lead = subject.incident?.leadSlackId;
  const channel = subject.incident?.channelId;
  if (roles.includes('lead') && lead) add(lead, `the incident lead <@${lead}>`);
  if (roles.includes('owner'))
    add(subject.feature.owner.slack, `the owner <@${subject.feature.owner.slack}>`);
  if (roles.includes('incident_member') && channel) add(channel, `anyone in <#${channel}>`);
  if (roles.includes('on_call')) add('on call', 'whoever is on call for it');
  if (roles.includes('admin') && admin) add(admin, `<!subteam^${admin}>`);
  if (roles.includes('listed'))
    for (const id of listed) add(id, id.startsWith('S') ? `<!subteam^${id}>` : `<@${id}>`);
  return who.length ? who.join(', ') : 'an admin to set `defaults.admin_group` in the catalog';
}

const yes = (because: string): Permission => ({ allowed: true, because });

async function isOnCall(deps: PermissionDeps, feature: Feature, userId: string): Promise<boolean> {
  const rest = deps.pagerduty.rest;
  if (!rest) return false;
  try {
    const { person } = await deps.people.pagerDutyPersonFor(userId);
    if (!person) return false;
    const policy = await escalationPolicyOf(rest, feature.pagerduty);
    if (!policy) return false;
    return (await rest.listOncalls(policy)).some((o) => o.user.id === person.id);
  } catch (error) {
    deps.logger.warn({ err: error, userId }, 'could not ask PagerDuty who is on call; not counting it');
    return false;
  }
}
