// The kill-switch audit log. Rows are only ever inserted (the database refuses UPDATE,
// DELETE and TRUNCATE on the table), one per attempt and one per outcome.
import type { KillSwitchAudit } from '../generated/prisma/client.ts';
import type { Tx } from './tx.ts';

export interface AuditInput {
  slackUserId: string;
  actorName?: string | null;
  featureKey: string;
  environment?: string | null;
  /** kill, restore, ramp_step, ramp_abort, drill, status */
  action: string;
  reason?: string | null;
  /** requested, refused, noop, succeeded, failed, pending, confirmed, unverified, cancelled */
  result: string;
  unleashStatus?: number | null;
  detail?: string | null;
  operationId?: string | null;
}

function rowOf(row: AuditInput) {
  return {
    slackUserId: row.slackUserId,
    actorName: row.actorName ?? null,
    featureKey: row.featureKey,
    environment: row.environment ?? null,
    action: row.action,
    reason: row.reason ?? null,
    result: row.result,
    unleashStatus: row.unleashStatus ?? null,
    detail: row.detail?.slice(0, 1000) ?? null,
    operationId: row.operationId ?? null,
  };
}

export async function insertAudit(tx: Tx, row: AuditInput): Promise<void> {
  await tx.killSwitchAudit.create({ data: rowOf(row) });
}

export async function insertAudits(tx: Tx, rows: AuditInput[]): Promise<void> {
  await tx.killSwitchAudit.createMany({ data: rows.map(rowOf) });
}

/** The latest change of the feature in `environment` that Failsafe made between `from` and `to`. */
export function latestSucceededChange(
  db: Tx,
  q: { featureKey: string; environment: string; from: Date; to: Date },
): Promise<KillSwitchAudit | null> {
  return db.killSwitchAudit.findFirst({
    where: {
      featureKey: q.featureKey,
      environment: q.environment,
      result: 'succeeded',
      at: { gte: q.from, lte: q.to },
    },
    orderBy: { at: 'desc' },
  });
}

export function latestPassedDrill(db: Tx, featureKey: string, since: Date): Promise<KillSwitchAudit | null> {
  return db.killSwitchAudit.findFirst({
    where: { featureKey, action: 'drill', result: 'succeeded', at: { gte: since } },
    orderBy: { at: 'desc' },
  });
}
