// A kill stored once: the flag operation and its audit rows in one transaction, keyed on the
// request so a double submit, a Slack retry or a second replica is the same kill. Used by the
// kill modal and by error-budget policies (through index.ts).
import type { FlaggedFeature } from '../../config/catalog.ts';
import { insertAudits } from '../../store/flag-audit.ts';
import { cancelActiveRamp, findFlagOperationByRequestKey, insertFlagOperation } from '../../store/flags.ts';
import { isUniqueViolation } from '../../store/tx.ts';
import type { KillBaseDeps } from './deps.ts';
import { clockTime } from './messages.ts';

export interface KillRequest {
  reason: string;
  name: string;
  userId: string;
  /** One operation per key: a double submit, a Slack retry or a second replica is the same kill. */
  requestKey: string;
  incidentId: string | null;
}

/**
 * Stores a kill (cancelling any ramp of the feature) and its audit rows; returns the operation
 * id for the `flag-kill` job. Used by the modal and by error-budget policies.
 */
export async function recordKill(
  deps: Pick<KillBaseDeps, 'clock' | 'db'>,
  feature: FlaggedFeature,
  input: KillRequest,
): Promise<string> {
  const requestKey = input.requestKey;
  try {
    return await insertKill(deps, feature, input, requestKey);
  } catch (error) {
    // The same submission reached another replica first: its operation is this one.
    if (!isUniqueViolation(error)) throw error;
    const existing = await findFlagOperationByRequestKey(deps.db, requestKey);
    if (!existing) throw error;
    return existing.id;
  }
}

async function insertKill(
  deps: Pick<KillBaseDeps, 'clock' | 'db'>,
  feature: FlaggedFeature,
  input: KillRequest,
  requestKey: string,
): Promise<string> {
  const u = feature.unleash;
  const now = deps.clock.now();
  return deps.db.$transaction(async (tx) => {
    const existing = await findFlagOperationByRequestKey(tx, requestKey);
    if (existing) return existing.id;
    // A kill during a ramp stops the ramp: its next step sees the state and does nothing.
    const ramp = await cancelActiveRamp(tx, feature.key, now);
    const op = await insertFlagOperation(tx, {
      requestKey,
      kind: 'kill',
      featureKey: feature.key,
      project: u.project,
      flag: u.flag,
      environment: u.environment,
      requestedBy: input.userId,
      requestedByName: input.name,
      reason: input.reason,
      channel: feature.slack.alertsChannel,
      incidentId: input.incidentId,
      steps: [],
    });
    await insertAudits(tx, [
      ...ramp.map((r) => ({
        slackUserId: input.userId,
        actorName: input.name,
        featureKey: feature.key,
        environment: r.environment,
        action: 'restore',
        reason: `cancelled by a kill at ${clockTime(now, feature.slack.timeZone)}`,
        result: 'cancelled',
        operationId: r.id,
      })),
      {
        slackUserId: input.userId,
        actorName: input.name,
        featureKey: feature.key,
        environment: u.environment,
        action: 'kill',
        reason: input.reason,
        result: 'requested',
        operationId: op.id,
      },
    ]);
    return op.id;
  });
}
