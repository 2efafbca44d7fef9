// Group commit for alert deliveries. While one database call is in flight, deliveries that
// arrive queue up and go together in the next call: one round trip for many webhooks under
// load, and no added wait when traffic is light (a lone delivery is sent at once). Each
// caller still hears back only after its own data is committed.
import type { Db } from '../../db/client.ts';
import { type Delivery, type IntakeResult, storeDeliveries } from '../../store/ingest.ts';

interface Pending {
  delivery: Delivery;
  resolve: (result: IntakeResult) => void;
  reject: (error: unknown) => void;
}

/** Bounds one call so a burst cannot build a statement too large to be quick. */
const MAX_ALERTS_PER_CALL = 2_000;

export function createIntakeBatcher(db: Db, options: { maxInFlight?: number } = {}) {
  const queue: Pending[] = [];
  const maxInFlight = options.maxInFlight ?? 2;
  let inFlight = 0;

  function takeBatch(): Pending[] {
    const batch: Pending[] = [];
    let alerts = 0;
    while (queue.length) {
      const next = queue[0] as Pending;
      if (batch.length && alerts + next.delivery.alerts.length > MAX_ALERTS_PER_CALL) break;
      alerts += next.delivery.alerts.length;
      batch.push(queue.shift() as Pending);
    }
    return batch;
  }

  async function flush(): Promise<void> {
    if (inFlight >= maxInFlight || !queue.length) return;
    inFlight++;
    const batch = takeBatch();
    try {
      const results = await storeDeliveries(
        db,
        batch.map((p) => p.delivery),
      );
      for (const [i, p] of batch.entries()) p.resolve(results[i] as IntakeResult);
    } catch (error) {
      if (batch.length === 1) batch[0]?.reject(error);
      // Isolate the failure: one delivery the database refuses must not fail its neighbours.
      else
        for (const p of batch)
          await storeDeliveries(db, [p.delivery]).then((r) => p.resolve(r[0] as IntakeResult), p.reject);
    } finally {
      inFlight--;
      void flush();
    }
  }

  return {
    submit(delivery: Delivery): Promise<IntakeResult> {
      return new Promise((resolve, reject) => {
        queue.push({ delivery, resolve, reject });
        void flush();
      });
    },
  };
}
