// A body larger than the route's cap is refused (413) while it is still arriving, not after
// it was buffered whole: the client keeps sending and the answer reaches it mid-upload.
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { signPagerDutyBody } from '../../src/capabilities/paging/webhook-signature.ts';
import { MAX_BODY_BYTES } from '../../src/http/io.ts';
import { SLACK_BODY_LIMIT } from '../../src/http/limits.ts';
import { ALERT_TOKEN, useRunningApp } from '../support/harness.ts';
import { signedHeaders, TEST_SIGNING_SECRET } from '../support/slack-request.ts';

const SECRET = 'whsec-limit-0123456789abcdef';
const ctx = useRunningApp({ extra: { PAGERDUTY_WEBHOOK_SECRETS: SECRET } });
const CHUNK = 64 * 1024;
/** Far past every cap: a server that buffered it all would only answer after this much. */
const GIVE_UP_AT = 16 * 1024 * 1024;

interface Upload {
  status: number;
  /** Bytes the server had taken when its answer arrived; the upload was still going. */
  sentWhenAnswered: number;
  stillSending: boolean;
  body: string;
}

/** Streams chunks (no Content-Length) until the server answers, or GIVE_UP_AT is reached. */
function streamUntilAnswered(path: string, headers: Record<string, string>, head = ''): Promise<Upload> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let finished = false;
    let answered = false;
    const req = request(`${ctx.app.url}${path}`, { method: 'POST', headers }, (res) => {
      answered = true;
      const answer = { status: res.statusCode ?? 0, sentWhenAnswered: sent, stillSending: !finished };
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve({ ...answer, body: Buffer.concat(parts).toString() }));
      res.on('error', reject);
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      // The server closes the connection after its answer; a write after that may fail.
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    const chunk = Buffer.alloc(CHUNK, 0x61);
    const pump = (): void => {
      // Stop once answered: the point is that the answer came while we still had more to send.
      if (answered || req.destroyed) return;
      if (sent >= GIVE_UP_AT) {
        finished = true;
        req.end();
        return;
      }
      sent += CHUNK;
      if (req.write(chunk)) setImmediate(pump);
      else req.once('drain', pump);
    };
    if (head) req.write(head);
    pump();
  });
}

const counts = async () =>
  (
    await ctx.database.query<{ n: number }>(
      'SELECT ((SELECT count(*) FROM inbound_payload) + (SELECT count(*) FROM signal_batch))::int AS n',
    )
  )[0]?.n;

describe('bodies past the cap, streamed', () => {
  it.each([
    ['/alerts/generic', MAX_BODY_BYTES],
    ['/signals', MAX_BODY_BYTES],
  ])('%s answers 413 while the body is still being sent', async (path, cap) => {
    const before = await counts();
    const upload = await streamUntilAnswered(
      path,
      { 'content-type': 'application/json', authorization: `Bearer ${ALERT_TOKEN}` },
      '{"summary":"',
    );
    expect(upload.status).toBe(413);
    expect(JSON.parse(upload.body)).toMatchObject({ error: 'payload_too_large' });
    expect(upload.stillSending).toBe(true);
    // What sits in socket buffers between the two ends is all that may pass the cap.
    expect(upload.sentWhenAnswered).toBeLessThan(cap + 4 * 1024 * 1024);
    expect(await counts()).toBe(before);
  });

  it('/webhooks/pagerduty answers 413 past 64 KiB while the body is still being sent', async () => {
    const upload = await streamUntilAnswered('/webhooks/pagerduty', {
      'content-type': 'application/json',
      'x-pagerduty-signature': signPagerDutyBody(SECRET, 'whatever'),
    });
    expect(upload.status).toBe(413);
    expect(upload.stillSending).toBe(true);
    expect(upload.sentWhenAnswered).toBeLessThan(4 * 1024 * 1024);
  });

  it('/slack/events answers 413 to a signed body past its cap while it is still being sent', async () => {
    const upload = await streamUntilAnswered(
      '/slack/events',
      // Signed over another body: the cap must hold before the signature can even be checked.
      { ...signedHeaders(TEST_SIGNING_SECRET, 'payload=x') },
      'payload=',
    );
    expect(upload.status).toBe(413);
    expect(upload.stillSending).toBe(true);
    expect(upload.sentWhenAnswered).toBeLessThan(SLACK_BODY_LIMIT + 4 * 1024 * 1024);
  });
});
