// Loaded with --import into a bench's Failsafe child: counts every query sent to the database
// (pg's Client.query, which Prisma's adapter, pg-boss and migrations all go through; one
// multi-statement text is one round trip) and writes the count to BENCH_QUERY_COUNT_FILE.
import { renameSync, writeFileSync } from 'node:fs';
import pg from 'pg';

let sent = 0;
const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
(pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (
  this: pg.Client,
  ...args: unknown[]
) {
  sent++;
  return query.apply(this, args);
};
const file = process.env.BENCH_QUERY_COUNT_FILE;
// Written aside and renamed, so a reader never sees a half-written number.
if (file)
  setInterval(() => {
    writeFileSync(`${file}.tmp`, String(sent));
    renameSync(`${file}.tmp`, file);
  }, 100).unref();
