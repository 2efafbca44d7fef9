// PagerDuty rosters the tests need beyond the fake's default.
import { defaultRoster, JANE, type Roster, SAM } from '../../src/sandbox/fakes/pagerduty-roster.ts';

/** The owner (Jane) is level 2, Sam level 1: paging or DMing whoever is first on call would show. */
export function ownerNotFirstOnCall(): Roster {
  const roster = defaultRoster();
  const policy = roster.escalationPolicies.find((p) => p.id === 'PEP1');
  if (policy)
    policy.levels = [
      { level: 1, users: [SAM] },
      { level: 2, users: [JANE] },
    ];
  return roster;
}
