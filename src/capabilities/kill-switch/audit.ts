// The kill-switch audit log. Rows are only ever inserted (the database refuses UPDATE,
// DELETE and TRUNCATE on the table), one per attempt and one per outcome.
import type { Db } from '../../db/client.ts';
import type { FlagOperation } from '../../generated/prisma/client.ts';

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

export async function audit(db: Db, row: AuditInput): Promise<void> {
  await db.killSwitchAudit.create({
    data: {
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
    },
  });
}

/** Who asked, for what and why: the audit fields every row about an operation shares. */
export function auditFieldsOf(op: FlagOperation) {
  return {
    slackUserId: op.requestedBy,
    actorName: op.requestedByName,
    featureKey: op.featureKey,
    environment: op.environment,
    reason: op.reason,
    operationId: op.id,
  };
}
