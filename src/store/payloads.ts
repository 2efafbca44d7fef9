// inbound_payload is the replayable log: every webhook body as received, stored before it is
// acted on. Alert bodies go in through failsafe_ingest (src/store/ingest.ts); this is for the rest.
import type { InboundPayload, Prisma } from '../generated/prisma/client.ts';
import type { Tx } from './tx.ts';

export interface NewPayload {
  id: string;
  kind: string;
  requestId: string;
  /** A parsed JSON body, kept as sent. */
  body: unknown;
}

export async function insertInboundPayload(tx: Tx, payload: NewPayload): Promise<void> {
  await tx.inboundPayload.create({ data: { ...payload, body: payload.body as Prisma.InputJsonValue } });
}

export function findInboundPayload(db: Tx, id: string): Promise<InboundPayload | null> {
  return db.inboundPayload.findUnique({ where: { id } });
}
