// A deferred job starts at its time, not at the next poll: with production's 5 s interval a job
// due in 1.5 s used to wait for the workers' next fetch (up to 5 s late, ~3.5 s here).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueue, DEFAULT_POLL_SECONDS, type Queue } from '../../src/jobs/queue.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { createMetrics } from '../../src/observability/metrics.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let database: TestDatabase;
let queue: Queue;
const ran = new Map<string, number>();
const waiters = new Map<string, () => void>();

beforeAll(async () => {
  database = await createTestDatabase();
  queue = createQueue({
    connectionString: database.url,
    logger: createLogger({ level: 'silent' }),
    metrics: createMetrics(),
    deadLetter: async () => {},
  });
  queue.define({
    name: 'slack-refresh',
    handler: async ({ incidentId }) => {
      ran.set(incidentId, performance.now());
      waiters.get(incidentId)?.();
    },
  });
  await queue.start();
});

afterAll(async () => {
  await queue.stop(2_000);
  await database.drop();
});

function ranOnce(id: string): Promise<void> {
  return new Promise((resolve) => waiters.set(id, resolve));
}

describe('deferred jobs with the production poll interval', () => {
  it('start within a second of their time', async () => {
    expect(DEFAULT_POLL_SECONDS).toBeGreaterThanOrEqual(5);
    const ids = [randomUUID(), randomUUID()];
    const done = Promise.all(ids.map(ranOnce));
    const sentAt = performance.now();
    await queue.enqueue('slack-refresh', `a:${ids[0]}`, { incidentId: ids[0] as string }, { delayMs: 1_500 });
    await queue.enqueue('slack-refresh', `b:${ids[1]}`, { incidentId: ids[1] as string }, { delayMs: 1_600 });
    await done;
    for (const [i, id] of ids.entries()) {
      const late = (ran.get(id) as number) - sentAt - (1_500 + i * 100);
      expect(late).toBeGreaterThanOrEqual(-50);
      expect(late).toBeLessThan(1_000);
    }
  });

  it('stored by another process (no local timer) start within the scan interval of their time', async () => {
    const id = randomUUID();
    const done = ranOnce(id);
    // As another replica would: the job row only, straight into pg-boss's table.
    const sentAt = performance.now();
    await database.query(
      `INSERT INTO pgboss.job (name, data, start_after) VALUES ('slack-refresh', $1::jsonb, now() + interval '1 second')`,
      [JSON.stringify({ key: `c:${id}`, attempt: 1, data: { incidentId: id } })],
    );
    await done;
    const late = (ran.get(id) as number) - sentAt - 1_000;
    expect(late).toBeLessThan(DEFAULT_POLL_SECONDS * 1000 + 1_000);
  });
});
