// The files.uploadV2 sequence (getUploadURLExternal → POST the bytes → completeUploadExternal)
// against the fake Slack over real HTTP, and how its failures are classified for the queue.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpstreamError } from '../../src/adapters/http.ts';
import { createSlackApi, type SlackApi } from '../../src/adapters/slack.ts';
import { type FakeSlack, startFakeSlack } from '../../src/sandbox/fakes/slack.ts';
import { filesOf } from '../../src/sandbox/fakes/slack-files.ts';

let slack: FakeSlack;
let api: SlackApi;
const file = (content: string) => ({
  channelId: 'C0ALERTS',
  filename: 'postmortem.md',
  title: 'Postmortem',
  content,
  comment: ':memo: the draft',
  snippetType: 'markdown',
});

beforeAll(async () => {
  slack = await startFakeSlack();
  api = createSlackApi({ baseUrl: slack.url, token: slack.token });
});
afterAll(() => slack.close());

describe('sharing a file', () => {
  it('uploads the bytes and shares them with the comment as the message', async () => {
    const content = '# Draft\n\nUTF-8 survives: “quotes”, ü, 📌\n';
    const { fileId } = await api.shareFile(file(content));
    const stored = filesOf(slack.state).find((f) => f.id === fileId);
    expect(stored).toMatchObject({
      filename: 'postmortem.md',
      title: 'Postmortem',
      length: Buffer.byteLength(content),
      content,
      channel: 'C0ALERTS',
      initialComment: ':memo: the draft',
      snippetType: 'markdown',
      completed: true,
    });
    const message = slack.controls.messagesIn('C0ALERTS').find((m) => m.ts === stored?.messageTs);
    expect(message?.text).toBe(':memo: the draft');
    expect(slack.state.calls.map((c) => c.method).slice(-2)).toEqual([
      'files.getUploadURLExternal',
      'files.completeUploadExternal',
    ]);
  });

  it('uploads binary content and passes the alt text of an image', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    await api.shareFile({
      channelId: 'C0STAKE',
      filename: 'chart.png',
      title: 'Chart',
      content: png,
      comment: 'The week',
      altText: 'A chart',
    });
    const get = slack.state.calls.filter((c) => c.method === 'files.getUploadURLExternal').at(-1);
    expect(get?.args).toMatchObject({ filename: 'chart.png', length: '7', alt_txt: 'A chart' });
  });

  it.each([
    [{ method: 'files.getUploadURLExternal', error: 'invalid_auth' }, 'config'],
    [{ method: 'files.getUploadURLExternal', status: 503 }, 'retryable'],
    [{ method: 'files.completeUploadExternal', error: 'internal_error' }, 'retryable'],
    [{ method: 'files.completeUploadExternal', retryAfterSeconds: 7 }, 'retryable'],
    [{ method: 'files.completeUploadExternal', error: 'channel_not_found' }, 'invalid'],
  ] as const)('classifies %j as %s', async (failure, kind) => {
    slack.controls.failNext(1, failure);
    const error = await api.shareFile(file('x')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).kind).toBe(kind);
    if ('retryAfterSeconds' in failure) expect((error as UpstreamError).retryAfterMs).toBe(7_000);
  });

  it('refuses to complete a file twice or one never uploaded, as Slack does', async () => {
    const call = (method: string, body: Record<string, string>) =>
      fetch(`${slack.url}${method}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${slack.token}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams(body),
      }).then(
        (r) => r.json() as Promise<{ ok: boolean; error?: string; upload_url?: string; file_id?: string }>,
      );
    const target = await call('files.getUploadURLExternal', { filename: 'a.md', length: '3' });
    const complete = () =>
      call('files.completeUploadExternal', { files: JSON.stringify([{ id: target.file_id }]) });
    expect(await complete()).toEqual({ ok: false, error: 'file_not_found' });
    const upload = await fetch(target.upload_url as string, { method: 'POST', body: 'abc' });
    expect([upload.status, await upload.text()]).toEqual([200, 'OK - 3']);
    expect((await complete()).ok).toBe(true);
    expect(await complete()).toEqual({ ok: false, error: 'file_not_found' });
    expect(await call('files.getUploadURLExternal', { filename: 'b.md' })).toEqual({
      ok: false,
      error: 'invalid_arguments',
    });
  });
});
