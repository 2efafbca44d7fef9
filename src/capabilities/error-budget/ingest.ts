// POST /signals — AI quality signals (and the quality watch's measurements) in. Same rules as alert intake: bearer token first, 415
// for a body that is not JSON, 413 over 1 MiB, 400 naming the field for anything that can
// never become valid (having written nothing), 503 when the database cannot take it, and
// 2xx only after the counts are committed.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { requireBearer } from '../../http/auth.ts';
import { HttpError, readJson, sendJson } from '../../http/io.ts';
import type { RouteContext } from '../../http/router.ts';
import type { MeasurementIntake } from '../../kernel/measurement-intake.ts';
import { type StoredBatch, storeSignalBatch } from '../../store/signals.ts';
import type { BudgetDeps } from './deps.ts';
import { parseSignalBatch, signalField } from './signals.ts';

export async function receiveSignals(
  deps: BudgetDeps,
  arm: () => Promise<void>,
  measurements: MeasurementIntake | undefined,
  req: IncomingMessage,
  res: ServerResponse,
  ctx: RouteContext,
): Promise<void> {
  // Its own token when set: an alert source's token must not be able to burn a budget.
  requireBearer(req, deps.config.signalsToken ?? deps.config.alertToken);
  const { body } = await readJson(req, { fieldName: signalField });
  const now = deps.clock.now();
  const parsed = parseSignalBatch(body, deps.catalog.catalog, now, measurements?.parse);
  if (!parsed.ok)
    throw new HttpError(400, 'invalid_payload', `${parsed.field}: ${parsed.message}`, parsed.field);
  const { batch } = parsed;
  let stored: StoredBatch;
  try {
    stored = await storeSignalBatch(deps.db, batch, body, now);
  } catch (error) {
    ctx.log.error({ err: error, batchId: batch.batchId }, 'could not store signals');
    throw new HttpError(503, 'unavailable', 'signals could not be stored; retry later');
  }
  // 200 for a batch already counted, so a client retrying after a lost answer sees success.
  sendJson(res, stored.fresh ? 202 : 200, {
    batch_id: batch.batchId,
    accepted: stored.fresh ? batch.signals : 0,
    ...(batch.measurements ? { measurements: stored.fresh ? batch.measurements.count : 0 } : {}),
    duplicate: !stored.fresh,
  });
  if (batch.signals)
    await arm().catch((error: unknown) =>
      ctx.log.error({ err: error }, 'could not schedule the error budget evaluation'),
    );
  if (batch.measurements && measurements)
    await measurements
      .accepted(deps)
      .catch((error: unknown) => ctx.log.error({ err: error }, 'could not schedule the watch evaluation'));
}
