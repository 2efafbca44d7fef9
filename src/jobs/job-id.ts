import { createHash } from 'node:crypto';

/**
 * pg-boss ids are UUIDs; deriving them from the idempotency key makes a second send of the
 * same effect a no-op in the database (the insert conflicts), on every replica.
 */
export function jobIdFor(queue: string, key: string, attempt = 1): string {
  const hex = createHash('sha256').update(`${queue}\0${key}\0${attempt}`).digest('hex');
  const variant = ((Number.parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
