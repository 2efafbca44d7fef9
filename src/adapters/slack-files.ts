// Sharing a file in a channel the way the SDK's files.uploadV2 does, since files.upload is
// retired: files.getUploadURLExternal, the bytes POSTed to the URL it returns, then
// files.completeUploadExternal to share it with a comment. One attempt per step; a failure
// at any step is classified like every other Slack call so the queue knows whether to retry.
import { z } from 'zod';
import { classifyStatus, type Fetch, fetchWithTimeout, UpstreamError } from './http.ts';
import type { SlackCall } from './slack-call.ts';

export interface FileToShare {
  channelId: string;
  filename: string;
  title: string;
  content: Uint8Array | string;
  /** The message posted with the file (files.completeUploadExternal's initial_comment). */
  comment: string;
  /** e.g. `markdown`, so Slack shows the file as a snippet with syntax highlighting. */
  snippetType?: string;
  /** A description of an image for screen readers (`alt_txt`). */
  altText?: string;
}

const uploadTarget = z.object({ upload_url: z.url(), file_id: z.string().min(1) });
const completed = z.object({ files: z.array(z.looseObject({ id: z.string() })).default([]) });

export function fileMethods(call: SlackCall, fetchImpl: Fetch, timeoutMs: number) {
  return {
    /** Returns the file id; the file is shared in `channelId` with `comment` as its message. */
    async shareFile(file: FileToShare): Promise<{ fileId: string }> {
      const bytes = typeof file.content === 'string' ? new TextEncoder().encode(file.content) : file.content;
      const target = await call(
        'files.getUploadURLExternal',
        {
          filename: file.filename,
          length: bytes.byteLength,
          snippet_type: file.snippetType,
          alt_txt: file.altText,
        },
        uploadTarget,
        'form',
      );
      await sendBytes(fetchImpl, target.upload_url, bytes, timeoutMs);
      await call(
        'files.completeUploadExternal',
        {
          files: [{ id: target.file_id, title: file.title }],
          channel_id: file.channelId,
          initial_comment: file.comment,
        },
        completed,
        'form',
      );
      return { fileId: target.file_id };
    },
  };
}

/** Slack answers the upload itself with 200 and a short text body ("OK - <length>"), not JSON. */
async function sendBytes(fetchImpl: Fetch, url: string, bytes: Uint8Array, timeoutMs: number): Promise<void> {
  const response = await fetchWithTimeout(
    'slack',
    fetchImpl,
    url,
    { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: bytes },
    timeoutMs,
  );
  const text = await response.text().catch(() => '');
  if (!response.ok) {
    const kind = classifyStatus(response.status);
    throw new UpstreamError(
      'slack',
      'file upload',
      url,
      kind,
      response.status,
      text.slice(0, 200) || `HTTP ${response.status}`,
    );
  }
}
