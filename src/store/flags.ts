// Flag operations: one row per kill, restore (with its ramp) or drill asked for from Slack.
// `request_key` makes a double submit one operation; `active_key` holds the feature key while
// a ramp runs, so there is one ramp per feature across every replica.
import type { FlagOperation, Prisma } from '../generated/prisma/client.ts';
import type { Tx } from './tx.ts';

export interface NewFlagOperation {
  requestKey: string;
  kind: 'kill' | 'restore' | 'drill';
  featureKey: string;
  project: string;
  flag: string;
  environment: string;
  requestedBy: string;
  requestedByName: string;
  reason: string;
  channel: string;
  steps: number[];
  incidentId?: string | null;
  state?: string;
  activeKey?: string | null;
  holdSeconds?: number;
}

/** What an operation's progress changes. */
export type FlagOperationChange = Partial<
  Pick<
    FlagOperation,
    | 'state'
    | 'activeKey'
    | 'stepIndex'
    | 'flippedAt'
    | 'confirmedAt'
    | 'confirmMs'
    | 'finishedAt'
    | 'lastError'
  >
> & { report?: Prisma.InputJsonValue };

export function findFlagOperation(db: Tx, id: string): Promise<FlagOperation | null> {
  return db.flagOperation.findUnique({ where: { id } });
}

export function findFlagOperationByRequestKey(db: Tx, requestKey: string): Promise<FlagOperation | null> {
  return db.flagOperation.findUnique({ where: { requestKey } });
}

/** The ramp running for the feature, if any. */
export function findActiveRamp(db: Tx, featureKey: string): Promise<FlagOperation | null> {
  return db.flagOperation.findUnique({ where: { activeKey: featureKey } });
}

/** A unique violation when the request key (or, for a ramp, the feature's active key) is taken. */
export function insertFlagOperation(tx: Tx, op: NewFlagOperation): Promise<FlagOperation> {
  return tx.flagOperation.create({ data: op });
}

/** The operation of this request key, inserted if it is the first time. */
export function insertFlagOperationOnce(db: Tx, op: NewFlagOperation): Promise<FlagOperation> {
  return db.flagOperation.upsert({ where: { requestKey: op.requestKey }, update: {}, create: op });
}

export async function updateFlagOperation(tx: Tx, id: string, change: FlagOperationChange): Promise<void> {
  await tx.flagOperation.update({ where: { id }, data: change });
}

/** Cancels the feature's running ramp (its next step sees the state and does nothing); returns it. */
export function cancelActiveRamp(tx: Tx, featureKey: string, at: Date): Promise<FlagOperation[]> {
  return tx.flagOperation.updateManyAndReturn({
    where: { activeKey: featureKey },
    data: { activeKey: null, state: 'cancelled', finishedAt: at },
  });
}

/** Locks the operation's row for the transaction; its state and step as they stand. */
export async function lockFlagOperation(
  tx: Tx,
  id: string,
): Promise<{ state: string; stepIndex: number } | null> {
  const [row] = await tx.$queryRaw<{ state: string; step_index: number }[]>`
    SELECT state, step_index FROM flag_operation WHERE id = ${id}::uuid FOR UPDATE`;
  return row ? { state: row.state, stepIndex: row.step_index } : null;
}

/** The feature's latest kill confirmed off whose flip came at or after `since`. */
export function latestConfirmedKillSince(
  db: Tx,
  featureKey: string,
  since: Date,
): Promise<FlagOperation | null> {
  return db.flagOperation.findFirst({
    where: { featureKey, kind: 'kill', state: 'confirmed', flippedAt: { gte: since } },
    orderBy: { flippedAt: 'desc' },
  });
}

/** The feature's latest kill or restore, whatever its state. */
export function latestKillOrRestore(db: Tx, featureKey: string): Promise<FlagOperation | null> {
  return db.flagOperation.findFirst({
    where: { featureKey, kind: { in: ['kill', 'restore'] } },
    orderBy: { createdAt: 'desc' },
  });
}

export function countKills(db: Tx, featureKey: string, range: { from: Date; to: Date }): Promise<number> {
  return db.flagOperation.count({
    where: { featureKey, kind: 'kill', createdAt: { gte: range.from, lt: range.to } },
  });
}

/** Kills and restores of an incident: its own, and the feature's from `from` to `until`. */
export function incidentFlagOperations(
  db: Tx,
  incident: { id: string; featureKey: string },
  window: { from: Date; until: Date },
): Promise<FlagOperation[]> {
  return db.flagOperation.findMany({
    where: {
      kind: { in: ['kill', 'restore'] },
      OR: [
        { incidentId: incident.id },
        { featureKey: incident.featureKey, createdAt: { gte: window.from, lte: window.until } },
      ],
    },
    orderBy: { createdAt: 'asc' },
  });
}
