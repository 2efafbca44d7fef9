// The body of a request to Bolt's endpoint, buffered before Bolt sees it. Bolt reads
// `body.ssl_check` off whatever its parser returned, so a signed `payload=null` threw an
// unhandled rejection inside Bolt and left the request hanging until the server's timeout.
// Bolt dereferences a few fields before any listener or error handler runs (`actions[0]`,
// `event.channel`, `view.callback_id`): a signed body with `"actions": 5` answered 500. Those
// fields' shapes are checked here, and a body that breaks one is a 400 naming it. Bolt uses a
// body that is already buffered (`req.rawBody`), so its size cap holds as before.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse } from 'node:querystring';
import { z } from 'zod';
import { HttpError, readBody, sendError } from './io.ts';
import { SLACK_BODY_LIMIT } from './limits.ts';

/** Only what Bolt reads before our listeners do; everything else is theirs to check. */
const BoltShape = z.looseObject({
  type: z.string().optional(),
  command: z.string().optional(),
  event: z.looseObject({}).optional(),
  // Bolt matches listeners with `action_id.match(…)` and `callback_id.match(…)`.
  view: z.looseObject({ callback_id: z.string() }).optional(),
  actions: z
    .array(z.looseObject({ action_id: z.string() }))
    .min(1)
    .optional(),
});

/** Interactions: Bolt takes the user's id from `user.id` to build its context. */
const INTERACTIVE = new Set([
  'block_actions',
  'view_submission',
  'view_closed',
  'shortcut',
  'message_action',
]);
const InteractiveShape = z.looseObject({ user: z.looseObject({ id: z.string() }) });

/** Buffers the body; answers and returns false when it is too big or not a shape Bolt can read. */
export async function bufferSlackBody(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  try {
    const raw = await readBody(req, SLACK_BODY_LIMIT);
    const problem = shapeProblem(raw, req.headers['content-type']);
    if (problem) throw new HttpError(400, 'invalid_payload', `${problem}: not what Slack sends`, problem);
    (req as IncomingMessage & { rawBody?: Buffer }).rawBody = raw;
    return true;
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    if (!req.readableEnded) res.setHeader('connection', 'close');
    sendError(res, error);
    return false;
  }
}

/** The field Bolt could not read, parsed as Bolt parses; text that is not JSON is Bolt's 400. */
function shapeProblem(raw: Buffer, contentType: string | undefined): string | null {
  let body: unknown;
  try {
    if (contentType === 'application/x-www-form-urlencoded') {
      const form = parse(raw.toString());
      body = typeof form.payload === 'string' ? JSON.parse(form.payload) : form;
    } else body = JSON.parse(raw.toString());
  } catch {
    return null;
  }
  const parsed = BoltShape.safeParse(body);
  if (parsed.success && INTERACTIVE.has(parsed.data.type ?? '')) {
    const interactive = InteractiveShape.safeParse(body);
    return interactive.success ? null : fieldOf(interactive.error);
  }
  return parsed.success ? null : fieldOf(parsed.error);
}

function fieldOf(error: z.ZodError): string {
  const path = error.issues[0]?.path ?? [];
  return ['payload', ...path.map(String)].join('.');
}
