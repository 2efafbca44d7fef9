// The one query the queue's due clock runs (src/jobs/due-clock.ts): for every queue, how soon
// its earliest waiting job may start. pg-boss's job_i14 (name, state, blocked, start_after) over
// live states keeps it an index scan however many finished jobs the table holds.

export interface SqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

export interface DueQueue {
  name: string;
  /** Milliseconds from the database's now; 0 when already due. */
  inMs: number;
}

/** Queues with a job that can start within `withinMs`, measured on the database's clock. */
export async function queuesDueWithin(db: SqlExecutor, withinMs: number): Promise<DueQueue[]> {
  const { rows } = await db.executeSql(
    `SELECT name, GREATEST(0, extract(epoch FROM min(start_after) - now()) * 1000)::float8 AS in_ms
       FROM pgboss.job
      WHERE state IN ('created', 'retry') AND NOT blocked
        AND start_after <= now() + make_interval(secs => $1::float8 / 1000)
      GROUP BY name`,
    [withinMs],
  );
  return (rows as { name: string; in_ms: number }[]).map((r) => ({ name: r.name, inMs: Number(r.in_ms) }));
}
