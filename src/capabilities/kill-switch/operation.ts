// Reading a flag operation back with its feature, and posting about it exactly once.
import type { Feature } from '../../config/catalog.ts';
import type { FlagOperation } from '../../generated/prisma/client.ts';
import { postOnce } from '../../kernel/slack-post.ts';
import { recordEntry } from '../../kernel/timeline.ts';
import type { KillBaseDeps } from './deps.ts';

export type { KillDeps } from './deps.ts';

import { findFlagOperation } from '../../store/flags.ts';
import { findOpenIncident } from '../../store/incidents.ts';

export interface LoadedOperation {
  op: FlagOperation;
  feature: Feature;
  ref: { project: string; flag: string; environment: string };
}

export async function loadOperation(deps: KillBaseDeps, id: string): Promise<LoadedOperation | null> {
  const op = await findFlagOperation(deps.db, id);
  const feature = op && deps.catalog.featureByKey(op.featureKey);
  if (!op || !feature) return null;
  return { op, feature, ref: { project: op.project, flag: op.flag, environment: op.environment } };
}

/**
 * Posts `text` in the feature's alerts channel once per `key`, and adds it to the open
 * incident's timeline (the operation's incident, or the feature's open one).
 */
export async function announce(
  deps: KillBaseDeps,
  loaded: LoadedOperation,
  key: string,
  text: string,
  kind: string,
): Promise<void> {
  const { op, feature } = loaded;
  await postOnce(deps, `kill-switch-post:${op.id}:${key}`, { channel: feature.slack.alertsChannel }, () => ({
    text,
  }));
  const incidentId = op.incidentId ?? (await findOpenIncident(deps.db, feature.key))?.id;
  if (!incidentId) return;
  await recordEntry(deps.db, {
    incidentId,
    at: deps.clock.now(),
    kind,
    actor: op.requestedByName,
    text: text.replace(/^:[a-z_]+: /, ''),
    data: { operationId: op.id, environment: op.environment },
    dedupKey: `kill-switch:${op.id}:${key}`,
  });
  await deps.incidentChanged?.(deps, incidentId);
}
