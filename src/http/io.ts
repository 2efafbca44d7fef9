// Request/response helpers for the custom routes that sit beside Bolt's /slack/events.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The default cap; routes that expect less (PagerDuty webhooks) pass their own. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** An error with the HTTP answer it should produce; `field` names the offending input. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    throw new HttpError(413, 'payload_too_large', `body is larger than ${limit} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > limit) {
        throw new HttpError(413, 'payload_too_large', `body is larger than ${limit} bytes`);
      }
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if (error instanceof HttpError) throw error;
    // The client went away (or the server's request timeout closed it) mid-body: nothing to
    // answer and nothing worth a stack trace.
    throw new HttpError(400, 'request_aborted', 'the request was aborted before its body arrived');
  }
  return Buffer.concat(chunks);
}

export function isJson(req: IncomingMessage): boolean {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || type.endsWith('+json');
}

export async function readJson(
  req: IncomingMessage,
  limit = MAX_BODY_BYTES,
): Promise<{ raw: Buffer; body: unknown }> {
  if (!isJson(req)) {
    throw new HttpError(415, 'unsupported_media_type', 'send the body as application/json');
  }
  const raw = await readBody(req, limit);
  // PostgreSQL's jsonb cannot store U+0000; refuse it here rather than fail the write.
  if (raw.includes('\\u0000'))
    throw new HttpError(400, 'invalid_json', 'NUL characters (\\u0000) are not allowed', 'body');
  try {
    return { raw, body: JSON.parse(raw.toString('utf8')) };
  } catch {
    throw new HttpError(400, 'invalid_json', 'the body is not valid JSON', 'body');
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  type = 'text/plain; charset=utf-8',
): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendError(res: ServerResponse, error: HttpError): void {
  sendJson(res, error.status, {
    error: error.code,
    message: error.message,
    ...(error.field ? { field: error.field } : {}),
  });
}
