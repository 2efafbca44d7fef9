// The logger writes one JSON object per line and never lets a configured secret or an
// authorization header through, wherever it appears.
import { describe, expect, it } from 'vitest';
import { createLogger, maskSecrets } from '../../src/observability/logger.ts';

const SECRET = 'xoxb-1234-secret-bot-token';
const OTHER = 'test-alert-token-0123456789';

function capture(options: { level?: string; secrets?: string[] } = {}) {
  const raw: string[] = [];
  const logger = createLogger({
    level: options.level ?? 'info',
    secrets: options.secrets ?? [SECRET, OTHER],
    destination: { write: (line: string) => void raw.push(line) },
  });
  const lines = () => raw.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, raw, lines };
}

describe('createLogger output', () => {
  it('writes one JSON object per line with a numeric level, msg, time and service', () => {
    const { logger, raw, lines } = capture();
    logger.info({ incidentId: 'i-1' }, 'paged someone');
    logger.warn('careful');
    logger.debug('below the level');
    expect(raw).toHaveLength(2);
    for (const line of raw) expect(line.endsWith('\n')).toBe(true);
    expect(lines()[0]).toMatchObject({
      level: 30,
      msg: 'paged someone',
      incidentId: 'i-1',
      service: 'failsafe',
    });
    expect(typeof lines()[0]?.time).toBe('number');
    expect(lines()[1]).toMatchObject({ level: 40, msg: 'careful' });
  });

  it('carries child bindings such as the request id', () => {
    const { logger, lines } = capture();
    logger.child({ requestId: 'req-42' }).error('failed');
    expect(lines()[0]).toMatchObject({ level: 50, msg: 'failed', requestId: 'req-42' });
  });
});

describe('secret masking', () => {
  it('masks a secret that JSON escapes (quotes, backslashes)', () => {
    const tricky = 'pa"ss\\word-123';
    const { logger, raw } = capture({ secrets: [tricky] });
    logger.info(`db error for ${tricky}`);
    expect(raw.join('')).not.toContain('word-123');
    expect(raw.join('')).toContain('[redacted]');
  });

  it('masks a secret in the message', () => {
    const { logger, raw, lines } = capture();
    logger.info(`calling Slack with ${SECRET} now`);
    expect(raw.join('')).not.toContain(SECRET);
    expect(lines()[0]?.msg).toBe('calling Slack with [redacted] now');
  });

  it("masks a secret in an error's message and stack", () => {
    const { logger, raw, lines } = capture();
    logger.error({ err: new Error(`401 from https://api.example.com?token=${SECRET}`) }, 'upstream failed');
    expect(raw.join('')).not.toContain(SECRET);
    const err = lines()[0]?.err as { message: string; stack: string; type: string };
    expect(err.type).toBe('Error');
    expect(err.message).toBe('401 from https://api.example.com?token=[redacted]');
    expect(err.stack).toContain('[redacted]');
  });

  it('masks a secret nested deep in an object, in arrays and in keys', () => {
    const { logger, raw, lines } = capture();
    logger.info({ request: { options: { headers: [`Bearer ${OTHER}`] }, note: `a${SECRET}b` } }, 'sent');
    logger.info({ [SECRET]: 1 }, 'odd key');
    expect(raw.join('')).not.toContain(SECRET);
    expect(raw.join('')).not.toContain(OTHER);
    expect(lines()[0]).toMatchObject({
      request: { options: { headers: ['Bearer [redacted]'] }, note: 'a[redacted]b' },
    });
    expect(lines()[1]).toHaveProperty('[redacted]', 1);
  });

  it('masks every occurrence, in child bindings too', () => {
    const { logger, raw } = capture();
    logger.child({ token_hint: SECRET }).info(`${SECRET} ${SECRET}`);
    expect(raw.join('')).not.toContain(SECRET);
    expect(raw.join('').split('[redacted]').length - 1).toBe(3);
  });

  it('masks the longer of two overlapping secrets whole', () => {
    const { logger, raw, lines } = capture({ secrets: ['abcdef', 'abcdefghijkl'] });
    logger.info('x abcdefghijkl y abcdef z');
    expect(raw.join('')).not.toContain('ghijkl');
    expect(lines()[0]?.msg).toBe('x [redacted] y [redacted] z');
  });

  it('leaves lines without secrets unchanged', () => {
    const { logger, lines } = capture();
    logger.info({ n: 1, s: 'plain text' }, 'nothing to hide');
    expect(lines()[0]).toMatchObject({ n: 1, s: 'plain text', msg: 'nothing to hide' });
    expect(maskSecrets('no secrets here', [SECRET])).toBe('no secrets here');
  });
});

describe('structural redaction', () => {
  it('redacts authorization headers on requests and on plain header objects', () => {
    const { logger, raw, lines } = capture({ secrets: [] });
    logger.info({ req: { method: 'POST', headers: { authorization: 'Bearer abc.def', host: 'x' } } }, 'in');
    logger.info({ headers: { authorization: 'Token token=pd-123', accept: 'json' } }, 'out');
    expect(raw.join('')).not.toContain('abc.def');
    expect(raw.join('')).not.toContain('pd-123');
    expect(lines()[0]).toMatchObject({ req: { headers: { authorization: '[redacted]', host: 'x' } } });
    expect(lines()[1]).toMatchObject({ headers: { authorization: '[redacted]', accept: 'json' } });
  });

  it('redacts Slack and PagerDuty signature headers and token, password and secret fields', () => {
    const { logger, raw, lines } = capture({ secrets: [] });
    logger.info(
      {
        req: { headers: { 'x-slack-signature': 'v0=abc', 'x-pagerduty-signature': 'v1=def' } },
        slack: { token: 'tok-1' },
        db: { password: 'pw-1' },
        pd: { secret: 'sec-1' },
      },
      'fields',
    );
    for (const value of ['v0=abc', 'v1=def', 'tok-1', 'pw-1', 'sec-1'])
      expect(raw.join('')).not.toContain(value);
    expect(lines()[0]).toMatchObject({
      req: { headers: { 'x-slack-signature': '[redacted]', 'x-pagerduty-signature': '[redacted]' } },
      slack: { token: '[redacted]' },
      db: { password: '[redacted]' },
      pd: { secret: '[redacted]' },
    });
  });
});
