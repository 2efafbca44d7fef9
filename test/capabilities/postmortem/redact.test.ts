// Masking personal data and secrets in quoted messages: what is masked, and the look-alikes
// an incident channel is full of (times, dates, versions, IPs, ids) that must survive.
import { describe, expect, it } from 'vitest';
import { maskPersonalData } from '../../../src/capabilities/postmortem/redact.ts';

describe('masked in quotes', () => {
  it.each([
    ['mail jo.bloggs@example.com about it', 'mail [email] about it', { email: 1 }],
    ['call +44 20 7946 0958 or (415) 555-0132', 'call [phone] or [phone]', { phone: 2 }],
    ['ring 415-555-0132 now', 'ring [phone] now', { phone: 1 }],
    ['bot token xoxb-123456789012-abcdefghijklmnop leaked', 'bot token [secret] leaked', { secret: 1 }],
    ['key sk-proj-AbCdEf0123456789GhIjKl in the env', 'key [secret] in the env', { secret: 1 }],
    ['AWS AKIAIOSFODNN7EXAMPLE rotated', 'AWS [secret] rotated', { secret: 1 }],
    ['password=hunter22 in the yaml', 'password=[secret] in the yaml', { secret: 1 }],
    ['api_key: "9f8e7d6c5b4a39281706f5e4d3c2b1a0"', 'api_key: [secret]', { secret: 1 }],
    [
      'run https://ci.example.com/run/8812?token=abc123def456 again',
      'run https://ci.example.com/run/8812?token=[secret] again',
      { secret: 1 },
    ],
    [
      'db postgres://app:s3cr3t@db.internal:5432/app',
      'db postgres://app:[secret]@db.internal:5432/app',
      { secret: 1 },
    ],
    ['hmac 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'hmac [secret]', { secret: 1 }],
    [
      'jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
      'jwt [secret]',
      { secret: 1 },
    ],
  ])('%s', (input, output, counts) => {
    const masked = maskPersonalData(input);
    expect(masked.text).toBe(output);
    expect(masked.counts).toEqual({ email: 0, phone: 0, secret: 0, ...counts });
  });
});

describe('left alone', () => {
  it.each([
    'between 03:10 and 03:25 the error rate was 38%',
    'deployed at 2026-07-14 03:58:12Z',
    'rolled back to v1.12.3 and prompt support-v12',
    'node 10.20.30.40 and 192.168.100.200 were drained',
    'incident 55121, 1200 requests, 99.5% good',
    'operation 0199a3f2-7c1e-7d2a-9b3c-4d5e6f708192 finished',
    'reverted commit 3f2a9c1d4b5e6f708192a3b4c5d6e7f8091a2b3c',
    'see https://grafana.example.com/d/abc123/support-bot-errors?orgId=1',
    'docs index docs-2026-07-31 rebuilt',
  ])('%s', (text) => {
    expect(maskPersonalData(text)).toEqual({ text, counts: { email: 0, phone: 0, secret: 0 } });
  });
});
