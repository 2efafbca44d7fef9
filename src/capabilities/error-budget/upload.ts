// Posts a file to a channel the way Slack's files.uploadV2 does: files.getUploadURLExternal,
// the bytes to the URL it returns, then files.completeUploadExternal shares it with a comment.
// One attempt per call; failures are classified like the other Slack calls so the queue
// knows whether to retry.
import { z } from 'zod';
import {
  classifyStatus,
  type Fetch,
  fetchWithTimeout,
  joinUrl,
  retryAfterMs,
  UpstreamError,
} from '../../adapters/http.ts';
import { classifySlackError } from '../../adapters/slack.ts';

export interface UploadOptions {
  apiUrl: string;
  token: string;
  fetch?: Fetch;
  timeoutMs?: number;
}

export interface FileToShare {
  channel: string;
  filename: string;
  title: string;
  bytes: Uint8Array;
  altText: string;
  comment: string;
}

const Envelope = z.looseObject({ ok: z.boolean(), error: z.string().optional() });
const UploadUrl = z.object({ upload_url: z.url(), file_id: z.string().min(1) });

async function call<T>(
  opts: UploadOptions,
  method: string,
  args: Record<string, string>,
  schema: z.ZodType<T>,
): Promise<T> {
  const url = joinUrl(opts.apiUrl, method);
  const response = await fetchWithTimeout(
    'slack',
    opts.fetch ?? globalThis.fetch,
    url,
    {
      method: 'POST',
      headers: { authorization: `Bearer ${opts.token}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(args).toString(),
    },
    opts.timeoutMs ?? 10_000,
  );
  const wait = retryAfterMs(response.headers);
  const body = Envelope.safeParse(await response.json().catch(() => null));
  if (!response.ok)
    throw new UpstreamError(
      'slack',
      method,
      url,
      classifyStatus(response.status),
      response.status,
      body.data?.error ?? `HTTP ${response.status}`,
      wait,
    );
  if (!body.success)
    throw new UpstreamError(
      'slack',
      method,
      url,
      'invalid',
      undefined,
      'response is not a Slack API envelope',
    );
  if (!body.data.ok) {
    const code = body.data.error ?? 'unknown_error';
    throw new UpstreamError('slack', method, url, classifySlackError(code), undefined, code, wait);
  }
  const parsed = schema.safeParse(body.data);
  if (!parsed.success)
    throw new UpstreamError(
      'slack',
      method,
      url,
      'invalid',
      undefined,
      `unexpected response: ${z.prettifyError(parsed.error)}`,
    );
  return parsed.data;
}

/** Returns the Slack file id. */
export async function shareFile(opts: UploadOptions, file: FileToShare): Promise<string> {
  const target = await call(
    opts,
    'files.getUploadURLExternal',
    { filename: file.filename, length: String(file.bytes.byteLength), alt_txt: file.altText },
    UploadUrl,
  );
  const sent = await fetchWithTimeout(
    'slack',
    opts.fetch ?? globalThis.fetch,
    target.upload_url,
    { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: file.bytes },
    opts.timeoutMs ?? 30_000,
  );
  await sent.arrayBuffer().catch(() => undefined);
  if (!sent.ok)
    throw new UpstreamError(
      'slack',
      'file upload',
      target.upload_url,
      classifyStatus(sent.status),
      sent.status,
      `HTTP ${sent.status}`,
    );
  await call(
    opts,
    'files.completeUploadExternal',
    {
      files: JSON.stringify([{ id: target.file_id, title: file.title }]),
      channel_id: file.channel,
      initial_comment: file.comment,
    },
    z.object({ files: z.array(z.object({ id: z.string() })).optional() }),
  );
  return target.file_id;
}
