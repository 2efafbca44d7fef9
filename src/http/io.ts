// Request/response helpers for the custom routes that sit beside Bolt's /slack/events.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dottedPath, findUnstorable, type JsonPath } from './storable.ts';

/** The default cap; routes that expect less (PagerDuty webhooks) pass their own. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** An error with the HTTP answer it should produce; `field` names the offending input. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field?: string;
  constructor(status: number, code: string, message: string, field?: string) {
    super(message);
    this.status = status;
    this.code = code;
    if (field !== undefined) this.field = field;
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

export interface ReadJsonOptions {
  limit?: number;
  /** How a field is named in the answer; alert intake's dotted form unless the route has its own. */
  fieldName?: (path: JsonPath) => string;
  /** Runs on the raw bytes before they are parsed (a signature check): nothing is read from a body not trusted. */
  verify?: (raw: Buffer) => void;
}

/**
 * The body as JSON that PostgreSQL can store: 415 for another type, 413 over the limit, and
 * 400 naming the field for text that is not JSON or a value that could never be written.
 */
export async function readJson(
  req: IncomingMessage,
  options: ReadJsonOptions = {},
): Promise<{ raw: Buffer; body: unknown }> {
  if (!isJson(req)) {
    throw new HttpError(415, 'unsupported_media_type', 'send the body as application/json');
  }
  const raw = await readBody(req, options.limit ?? MAX_BODY_BYTES);
  options.verify?.(raw);
  const body = parseJson(raw);
  assertStorable(body, options.fieldName);
  return { raw, body };
}

/** 400 naming the field when PostgreSQL could not store `body` (src/http/storable.ts says why). */
export function assertStorable(body: unknown, fieldName: (path: JsonPath) => string = dottedPath): void {
  const unstorable = findUnstorable(body);
  if (!unstorable) return;
  const field = fieldName(unstorable.path);
  throw new HttpError(400, 'invalid_payload', `${field}: ${unstorable.message}`, field);
}

/**
 * JSON.parse with a 400 naming the body. Bytes that are not UTF-8 read as U+FFFD: one bad byte
 * in a label is no reason to lose a page.
 */
export function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
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
