// PagerDuty webhooks v3 signatures: X-PagerDuty-Signature holds one or more comma-separated
// `v1=<hex HMAC-SHA256 of the raw body>` (several while a secret is rotated). Accept when any
// of them matches any configured secret, comparing in constant time.
import { createHmac, timingSafeEqual } from 'node:crypto';

export function signPagerDutyBody(secret: string, body: Buffer | string): string {
  return `v1=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function verifyPagerDutySignature(
  header: string | undefined,
  body: Buffer,
  secrets: readonly string[],
): boolean {
  if (!header || secrets.length === 0) return false;
  const offered = header
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('v1='))
    .map((part) => Buffer.from(part.slice(3), 'hex'));
  if (offered.length === 0) return false;
  let matched = false;
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(body).digest();
    // Check every pair so timing does not reveal which secret or signature matched.
    for (const candidate of offered) {
      if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) matched = true;
    }
  }
  return matched;
}
