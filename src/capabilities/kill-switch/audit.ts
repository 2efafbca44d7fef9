// The kill-switch audit log. Rows are only ever inserted (the database refuses UPDATE,
// DELETE and TRUNCATE on the table), one per attempt and one per outcome.
import type { Db } from '../../db/client.ts';
import type { FlagOperation } from '../../generated/prisma/client.ts';
import { type AuditInput, insertAudit } from '../../store/flag-audit.ts';

export type { AuditInput } from '../../store/flag-audit.ts';

export async function audit(db: Db, row: AuditInput): Promise<void> {
  await insertAudit(db, row);
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
