// Slack signs a request with a timestamp and Bolt accepts it for 5 minutes, so a captured
// command, click or modal submission could be sent again within that window and run again.
// One global middleware records each request's signed identity and acks-and-drops a replay.
// Events API deliveries are not keyed here: they carry an event_id the capture already dedups.

import type { IncomingMessage } from 'node:http';
import type { App } from '@slack/bolt';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import type { Logger } from '../observability/logger.ts';
import { pruneSlackRequests, recordSlackRequest } from '../store/slack-requests.ts';
import type { Clock } from './clock.ts';

/** Longer than Bolt's 5-minute timestamp window, with room for clock skew between replicas. */
export const REPLAY_WINDOW_MS = 10 * 60_000;
const PRUNE_EVERY_MS = 60_000;

const Body = z.object({
  type: z.string().optional(),
  command: z.string().optional(),
  trigger_id: z.string().min(1).optional(),
  user: z.object({ id: z.string() }).optional(),
  actions: z.array(z.object({ action_id: z.string(), action_ts: z.string().optional() })).optional(),
});

/** The signature headers, carried into Bolt's context for the fallback key. */
export function signatureProperties(req: IncomingMessage): Record<string, string> {
  const signature = req.headers['x-slack-signature'];
  const timestamp = req.headers['x-slack-request-timestamp'];
  return typeof signature === 'string' && typeof timestamp === 'string'
    ? { slackSignature: signature, slackTimestamp: timestamp }
    : {};
}

/**
 * What makes this request unique, from signed fields only; null for what is not keyed. Kinds
 * prefix the key: the sandbox console reuses a command's trigger_id for the modal it opens.
 */
export function requestKey(
  body: unknown,
  context: { readonly [key: string]: unknown },
): { kind: string; key: string } | null {
  const parsed = Body.safeParse(body);
  if (!parsed.success) return null;
  const b = parsed.data;
  const kind = b.command !== undefined ? 'command' : (b.type ?? 'unknown');
  // Events are deduplicated by event_id; option lists are reads, sent on every keystroke.
  if (kind === 'event_callback' || kind === 'url_verification' || kind === 'block_suggestion') return null;
  if (kind === 'block_actions') {
    const action = b.actions?.[0];
    if (b.user && action?.action_ts)
      return {
        kind,
        key: `${kind}:${b.user.id}:${action.action_id}:${action.action_ts}:${b.trigger_id ?? ''}`,
      };
  } else if (b.trigger_id) {
    return { kind, key: `${kind}:${b.trigger_id}` };
  }
  const slackSignature = typeof context.slackSignature === 'string' ? context.slackSignature : null;
  const slackTimestamp = typeof context.slackTimestamp === 'string' ? context.slackTimestamp : null;
  if (!slackSignature || !slackTimestamp) return null;
  return { kind, key: `${kind}:sig:${slackTimestamp}:${slackSignature}` };
}

export function registerReplayGuard(app: App, deps: { db: Db; clock: Clock; logger: Logger }): void {
  let prunedAt = 0;
  app.use(async function dropReplayedRequests(args) {
    const { body, context, next } = args;
    const id = requestKey(body, context);
    if (!id) return next();
    const now = deps.clock.now();
    const first = await recordSlackRequest(deps.db, id.key, id.kind, now);
    if (now.getTime() - prunedAt >= PRUNE_EVERY_MS) {
      prunedAt = now.getTime();
      // A failed prune is retried a minute later; it never blocks the request.
      await pruneSlackRequests(deps.db, new Date(now.getTime() - REPLAY_WINDOW_MS)).catch((error: unknown) =>
        deps.logger.warn({ err: error }, 'could not prune seen Slack requests'),
      );
    }
    if (first) return next();
    deps.logger.info({ kind: id.kind }, 'replayed Slack request dropped');
    const ack = (args as { ack?: () => Promise<void> }).ack;
    if (ack) await ack();
  });
}
