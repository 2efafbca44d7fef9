// The kill switch asks the one permission model (kernel/permissions.ts) about the feature and
// its open incident, whose lead may act on it too.
import type { Feature } from '../../config/catalog.ts';
import { mayDo, type Permission } from '../../kernel/permissions.ts';
import { findOpenIncident } from '../../store/incidents.ts';
import type { KillBaseDeps } from './deps.ts';

export type FlagAction = 'kill' | 'restore' | 'drill';

export async function permissionFor(
  deps: KillBaseDeps,
  feature: Feature,
  userId: string,
  action: FlagAction,
): Promise<Permission> {
  const incident = await findOpenIncident(deps.db, feature.key);
  return mayDo(deps, action, { feature, incident }, userId);
}
