// Who is on call in the fake PagerDuty. A roster is plain data so a test can say exactly
// which people exist, at which escalation level, without going through schedules.
export interface RosterUser {
  id: string;
  name: string;
  email: string;
}

export interface RosterLevel {
  level: number;
  users: RosterUser[];
  /** ISO date-times; null means a permanent on-call, as PagerDuty reports it. */
  start?: string | null | undefined;
  end?: string | null | undefined;
  /** Who takes over at `end` (the next shift), for `GET /oncalls?since=` at or after it. */
  next?: { users: RosterUser[]; end?: string | null | undefined } | undefined;
}

export interface RosterPolicy {
  id: string;
  name: string;
  levels: RosterLevel[];
}

export interface RosterService {
  id: string;
  name: string;
  escalationPolicyId: string;
}

export interface Roster {
  escalationPolicies: RosterPolicy[];
  services: RosterService[];
  /** Account users on no escalation level (e.g. the bot user Failsafe sends as `From`). */
  users?: RosterUser[];
}

export const JANE: RosterUser = { id: 'PUSER1', name: 'Jane Doe', email: 'jane@example.com' };
export const SAM: RosterUser = { id: 'PUSER2', name: 'Sam Lee', email: 'sam@example.com' };
export const ANA: RosterUser = { id: 'PUSER3', name: 'Ana Ruiz', email: 'ana@example.com' };
export const FAILSAFE_BOT: RosterUser = { id: 'PUSER9', name: 'Failsafe', email: 'failsafe@example.com' };

export function defaultRoster(): Roster {
  return {
    escalationPolicies: [
      {
        id: 'PEP1',
        name: 'AI Platform',
        levels: [
          { level: 1, users: [JANE] },
          { level: 2, users: [SAM] },
        ],
      },
      { id: 'PEP2', name: 'Search Quality', levels: [{ level: 1, users: [ANA] }] },
    ],
    services: [
      { id: 'PSVC1', name: 'AI Assistant', escalationPolicyId: 'PEP1' },
      { id: 'PSVC2', name: 'Semantic Search', escalationPolicyId: 'PEP2' },
    ],
    users: [FAILSAFE_BOT],
  };
}

export function rosterUsers(roster: Roster): RosterUser[] {
  const byId = new Map<string, RosterUser>((roster.users ?? []).map((u) => [u.id, u]));
  for (const policy of roster.escalationPolicies) {
    for (const level of policy.levels) for (const user of level.users) byId.set(user.id, user);
  }
  return [...byId.values()];
}

/** One entry per (policy, level, user): what `GET /oncalls?earliest=true` returns. */
export function rosterOncalls(
  roster: Roster,
  policyIds: string[],
  since?: Date,
): { policy: RosterPolicy; level: RosterLevel; user: RosterUser }[] {
  const wanted = (id: string) => policyIds.length === 0 || policyIds.includes(id);
  // After a level's shift ends, its next shift is who is on call.
  const current = (level: RosterLevel): RosterLevel =>
    since && level.end && level.next && since >= new Date(level.end)
      ? { level: level.level, users: level.next.users, start: level.end, end: level.next.end ?? null }
      : level;
  return roster.escalationPolicies
    .filter((policy) => wanted(policy.id))
    .flatMap((policy) =>
      policy.levels.map(current).flatMap((level) => level.users.map((user) => ({ policy, level, user }))),
    );
}
