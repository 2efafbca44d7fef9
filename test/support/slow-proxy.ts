// A slow upstream: forwards every request to `target`, holding back the answer to the ones
// `delayMs` picks. A hang never answers, so an attempt only times out; a slow answer lets an
// attempt go on after the queue has handed its job to someone else, the overlap that only an
// effect claim keeps from acting twice.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

const HOP = new Set(['content-encoding', 'content-length', 'transfer-encoding', 'connection', 'keep-alive']);

export interface SlowProxy {
  url: string;
  /** performance.now() when the last held-back answer went out (the fakes' receivedAt clock). */
  readonly heldAnswerAt: number | null;
  close(): Promise<void>;
}

export async function startSlowProxy(
  target: string,
  delayMs: (req: { method: string; path: string }) => number,
): Promise<SlowProxy> {
  let heldAnswerAt: number | null = null;
  const server = createServer(async (req, res) => {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const body = method === 'GET' || method === 'HEAD' ? undefined : await readAll(req);
    const headers = Object.fromEntries(
      Object.entries(req.headers).flatMap(([k, v]) =>
        k === 'host' || v === undefined ? [] : [[k, String(v)]],
      ),
    );
    const wait = delayMs({ method, path });
    const upstream = await fetch(`${target}${path}`, { method, headers, ...(body ? { body } : {}) });
    const answer = Buffer.from(await upstream.arrayBuffer());
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (wait > 0) heldAnswerAt = performance.now();
    // fetch has already decoded and measured the body; its framing headers no longer apply.
    const passed = [...upstream.headers].filter(([k]) => !HOP.has(k));
    res.writeHead(upstream.status, Object.fromEntries(passed));
    res.end(answer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get heldAnswerAt() {
      return heldAnswerAt;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
