// Nothing read before it is trusted: a webhook without its signature header is refused
// before its body is read, bodies are capped per route, a connection that dribbles its
// request is closed by the server, and none of it leaves a stack trace in the log.
import { once } from 'node:events';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { PAGERDUTY_BODY_LIMIT } from '../../src/capabilities/paging/webhook.ts';
import { SLACK_BODY_LIMIT } from '../../src/http/limits.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { signatureHeader } from '../../src/sandbox/fakes/pagerduty-webhooks.ts';
import { ALERT_TOKEN, useRunningApp } from '../support/harness.ts';
import { signedHeaders, TEST_SIGNING_SECRET } from '../support/slack-request.ts';
import { waitUntil } from '../support/wait.ts';

const SECRET = 'whsec-body-0123456789abcdef';
const MiB = 1024 * 1024;
const logLines: string[] = [];
const ctx = useRunningApp({
  extra: { PAGERDUTY_WEBHOOK_SECRETS: SECRET },
  runtime: {
    logger: createLogger({ level: 'info', destination: { write: (l: string) => logLines.push(l) } }),
    // Tiny, so a held-open connection is closed within the test; production uses 10 s / 5 s.
    serverLimits: { requestTimeoutMs: 1_500, headersTimeoutMs: 1_000 },
  },
});
const port = () => Number(new URL(ctx.app.url).port);

interface Answer {
  status: number;
  /** Bytes of the body the client had written when the answer arrived. */
  writtenWhenAnswered: number;
  headers: Record<string, string | string[] | undefined>;
  /** Resolves when the server has closed the connection. */
  closed: Promise<unknown>;
}

/**
 * Declares `declared` bytes, writes only the first `chunk`, and waits for the answer without
 * writing more: a server that read the body before deciding would never answer.
 */
function slowPost(
  path: string,
  headers: Record<string, string>,
  declared: number,
  chunk: number,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port: port(),
      method: 'POST',
      path,
      headers: { 'content-type': 'application/json', 'content-length': String(declared), ...headers },
    });
    let written = 0;
    req.on('error', reject);
    req.on('response', (res) => {
      res.resume();
      const socket = req.socket as Socket;
      const closed = socket.destroyed ? Promise.resolve() : once(socket, 'close');
      resolve({ status: res.statusCode ?? 0, writtenWhenAnswered: written, headers: res.headers, closed });
    });
    req.write(Buffer.alloc(chunk, 0x61), () => {
      written += chunk;
    });
  });
}

const pdHits = async () =>
  (await ctx.database.query("SELECT count(*)::int AS n FROM inbound_payload WHERE kind = 'pagerduty'"))[0]?.n;

describe('/webhooks/pagerduty', () => {
  it('answers 401 to a body without a signature header before the body is sent, and closes the connection', async () => {
    const answer = await slowPost('/webhooks/pagerduty', {}, MiB, 16 * 1024);
    // A server that read the body first would still be waiting for it (then time out with 408).
    expect(answer.status).toBe(401);
    expect(answer.writtenWhenAnswered).toBeLessThanOrEqual(16 * 1024);
    expect(answer.headers.connection).toBe('close');
    await answer.closed;
  });

  it('answers 413 to a signed body over 64 KiB, declared or streamed', async () => {
    const body = JSON.stringify({ event: { id: 'big', pad: 'x'.repeat(100 * 1024) } });
    const headers = {
      'content-type': 'application/json',
      'x-pagerduty-signature': signatureHeader([SECRET], body),
    };
    const before = await pdHits();
    const declared = await fetch(`${ctx.app.url}/webhooks/pagerduty`, { method: 'POST', headers, body });
    expect(declared.status).toBe(413);
    // No content-length: the cap is enforced while reading.
    const streamed = await fetch(`${ctx.app.url}/webhooks/pagerduty`, {
      method: 'POST',
      headers,
      body: new Blob([body]).stream(),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await pdHits()).toBe(before);
    expect(PAGERDUTY_BODY_LIMIT).toBe(64 * 1024);
  });

  it('logs an aborted body in one short line, without a stack trace', async () => {
    const socket = connect(port(), '127.0.0.1');
    await once(socket, 'connect');
    // The route runs inside the server's request event, so once it fires the body is being read.
    const arrived = once(ctx.app.server, 'request');
    socket.write(
      'POST /webhooks/pagerduty HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n' +
        `x-pagerduty-signature: v1=${'0'.repeat(64)}\r\ncontent-length: 5000\r\n\r\n{"event":`,
    );
    await arrived;
    socket.destroy();
    const lines = await waitUntil(
      async () => logLines.filter((l) => l.includes('request_aborted')),
      (found) => found.length > 0,
      { what: 'the aborted request to be logged' },
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]?.length).toBeLessThan(400);
    expect(logLines.join('\n')).not.toMatch(/"stack"|\n\s+at /);
  });
});

describe('/slack/events', () => {
  it('answers 401 to a request without Slack signature headers before reading its body', async () => {
    const answer = await slowPost('/slack/events', {}, MiB, 8 * 1024);
    expect(answer.status).toBe(401);
    expect(answer.writtenWhenAnswered).toBeLessThanOrEqual(8 * 1024);
    await answer.closed;
  });

  it('answers 413 to a signed body over the Slack limit', async () => {
    const body = `payload=${'x'.repeat(SLACK_BODY_LIMIT + 1)}`;
    const res = await fetch(`${ctx.app.url}/slack/events`, {
      method: 'POST',
      headers: signedHeaders(TEST_SIGNING_SECRET, body),
      body,
    });
    expect(res.status).toBe(413);
    expect(SLACK_BODY_LIMIT).toBeLessThanOrEqual(MiB);
  });
});

/** Writes `head` and never finishes the request; what the server said once it hung up. */
async function sendAndAwaitClose(head: string): Promise<string> {
  const socket = connect(port(), '127.0.0.1');
  await once(socket, 'connect');
  let received = '';
  socket.on('data', (d) => {
    received += d.toString();
  });
  socket.write(head);
  await once(socket, 'close');
  return received;
}

describe('server timeouts', () => {
  it('closes a connection whose headers never finish, answering 408', async () => {
    // Node's own default would hold it 300 s: vitest's 30 s timeout fails the test first.
    expect(await sendAndAwaitClose('POST /webhooks/pagerduty HTTP/1.1\r\nhost: x\r\n')).toMatch(
      /^HTTP\/1\.1 408/,
    );
  });

  it('closes a connection whose body dribbles past the request timeout, answering 408', async () => {
    const received = await sendAndAwaitClose(
      'POST /alerts/generic HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n' +
        `authorization: Bearer ${ALERT_TOKEN}\r\ncontent-length: 1000\r\n\r\n{`,
    );
    expect(received).toMatch(/^HTTP\/1\.1 408/);
    expect(logLines.join('\n')).not.toMatch(/"stack"|\n\s+at /);
  });
});
