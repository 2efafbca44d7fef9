// Signed Slack commands, clicks and modal submissions seen once. Bolt refuses a request whose
// signed timestamp is more than 5 minutes old, so a key only has to outlive that window.
import type { Tx } from './tx.ts';

/** True the first time `key` is recorded; false for a replay. */
export async function recordSlackRequest(db: Tx, key: string, kind: string, at: Date): Promise<boolean> {
  const inserted = await db.$executeRaw`
    INSERT INTO slack_request (key, kind, received_at) VALUES (${key}, ${kind}, ${at})
    ON CONFLICT (key) DO NOTHING`;
  return inserted === 1;
}

/** Forgets requests recorded before `before`; returns how many. */
export function pruneSlackRequests(db: Tx, before: Date): Promise<number> {
  return db.$executeRaw`DELETE FROM slack_request WHERE received_at < ${before}`;
}
