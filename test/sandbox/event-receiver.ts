// A tiny app stand-in for the fake Slack's Events API deliveries: a real HTTP server on port 0
// that checks Slack's signature with Bolt's own verifier and answers as each test scripts it.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySlackRequest } from '@slack/bolt';

export const RECEIVER_SECRET = 'receiver-signing-secret-0123456789';

export interface Received {
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** The JSON envelope, or the interactivity `payload` field parsed. */
  body: Record<string, unknown>;
  signatureValid: boolean;
}

/** What to answer the n-th request (0-based): a status, or 'hang' to never answer. */
export type Script = (n: number) => number | 'hang';

export async function startReceiver(script: Script = () => 200) {
  const received: Received[] = [];
  const waiting: Array<{ count: number; resolve: () => void }> = [];
  const server = createServer((req, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      let signatureValid = true;
      try {
        verifySlackRequest({
          signingSecret: RECEIVER_SECRET,
          body: rawBody,
          headers: {
            'x-slack-signature': String(req.headers['x-slack-signature']),
            'x-slack-request-timestamp': Number(req.headers['x-slack-request-timestamp']),
          },
        });
      } catch {
        signatureValid = false;
      }
      const form = new URLSearchParams(rawBody).get('payload');
      const body = JSON.parse(rawBody.startsWith('{') ? rawBody : (form ?? '{}')) as Record<string, unknown>;
      const n = received.length;
      received.push({ headers: req.headers, rawBody, body, signatureValid });
      for (const w of waiting.filter((w) => received.length >= w.count)) w.resolve();
      const answer = signatureValid ? script(n) : 401;
      if (answer !== 'hang') res.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/slack/events`,
    received,
    /** Resolves once `count` requests have arrived in total. */
    waitForCount: (count: number) =>
      received.length >= count
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            waiting.push({ count, resolve });
          }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
