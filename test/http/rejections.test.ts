// A refused bearer token leaves a log line for the operator, one per route per minute with the
// count of the rest, and never the token.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBearer } from '../../src/http/auth.ts';
import { createRouter } from '../../src/http/router.ts';
import { createLogger } from '../../src/observability/logger.ts';

const lines: Record<string, unknown>[] = [];
let nowMs = 1_000_000;
let server: Server;
let url: string;

beforeAll(async () => {
  const logger = createLogger({
    level: 'info',
    destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  });
  const router = createRouter(logger, () => nowMs);
  router.route('POST', '/alerts/:source', (req, res) => {
    requireBearer(req, 'the-right-token-0123456789');
    res.end('ok');
  });
  server = createServer((req, res) => void router.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  url = `http://127.0.0.1:${address.port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const send = (token?: string) =>
  fetch(`${url}/alerts/alertmanager`, {
    method: 'POST',
    headers: token ? { authorization: `Bearer ${token}`, 'user-agent': 'Alertmanager/0.28.1' } : {},
    body: '{}',
  });
const refusals = () => lines.filter((l) => l.msg === 'refused a request: missing or invalid bearer token');

describe('a refused bearer token', () => {
  it('is logged once a minute per route, with the count since, and never the token', async () => {
    expect((await send('an-old-rotated-token-987654')).status).toBe(401);
    expect(refusals()).toHaveLength(1);
    expect(refusals()[0]).toMatchObject({
      level: 40,
      status: 401,
      reason: 'token not accepted',
      path: '/alerts/alertmanager',
      userAgent: 'Alertmanager/0.28.1',
      remoteAddress: '127.0.0.1',
    });
    for (let i = 0; i < 5; i++) expect((await send()).status).toBe(401);
    expect(refusals()).toHaveLength(1);
    nowMs += 60_000;
    expect((await send()).status).toBe(401);
    expect(refusals()).toHaveLength(2);
    expect(refusals()[1]).toMatchObject({ reason: 'no Authorization header', refusedSinceLastLine: 5 });
    expect(JSON.stringify(lines)).not.toContain('an-old-rotated-token');
    // The right token is no refusal.
    expect((await send('the-right-token-0123456789')).status).toBe(200);
    expect(refusals()).toHaveLength(2);
  });
});
