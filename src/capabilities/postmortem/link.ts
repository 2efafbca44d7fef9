// The download link of a draft: /postmortems/<id>.md?v=<version>&i=<issued, unix ms>&token=<HMAC>.
// The token is an HMAC of the postmortem id, version and issue time under a key derived from
// the Slack signing secret (no new secret to provision; a leaked link key says nothing about
// request signing). A link opens one version, for the catalog's `postmortem_link_ttl` (7 days
// by default) after it was issued, and not at all once `/ai-postmortem revoke` ran after it.

import { linkSignatureValid, signLink } from '../../kernel/signed-links.ts';
import type { PostmortemDeps } from './deps.ts';

const KEY_INFO = 'failsafe postmortem link v2';
const TOKEN = /^[A-Za-z0-9_-]{43}$/; // 32 bytes of HMAC-SHA256, base64url without padding
/** A link issued this far "in the future" is a clock difference between replicas, not a forgery. */
const SKEW_MS = 60_000;

export interface LinkClaim {
  postmortemId: string;
  version: number;
  /** Unix milliseconds. */
  issuedAt: number;
}

const payload = (c: LinkClaim) => `${c.postmortemId}:${c.version}:${c.issuedAt}`;

export function signDownload(secret: string, claim: LinkClaim): string {
  return signLink(secret, KEY_INFO, payload(claim));
}

export type LinkVerdict = 'ok' | 'bad_token' | 'expired' | 'revoked';

export function verifyDownload(
  secret: string | undefined,
  claim: LinkClaim,
  token: string,
  rules: { nowMs: number; ttlSeconds: number; revokedAt: Date | null },
): LinkVerdict {
  // Without a key no token can be ours; an empty key would otherwise verify.
  if (!TOKEN.test(token) || !linkSignatureValid(secret, KEY_INFO, payload(claim), token)) return 'bad_token';
  const { nowMs } = rules;
  if (claim.issuedAt > nowMs + SKEW_MS || nowMs >= claim.issuedAt + rules.ttlSeconds * 1000) return 'expired';
  if (rules.revokedAt && claim.issuedAt <= rules.revokedAt.getTime()) return 'revoked';
  return 'ok';
}

/** Null without SLACK_SIGNING_SECRET: there is no key to sign with. */
export function downloadUrl(
  deps: Pick<PostmortemDeps, 'config' | 'clock'>,
  postmortemId: string,
  version: number,
): string | null {
  const secret = deps.config.slack.signingSecret;
  if (!secret) return null;
  const issuedAt = deps.clock.now().getTime();
  const token = signDownload(secret, { postmortemId, version, issuedAt });
  return `${deps.config.publicUrl}/postmortems/${postmortemId}.md?v=${version}&i=${issuedAt}&token=${token}`;
}

export const fileName = (incidentNumber: number, version: number) =>
  `postmortem-incident-${incidentNumber}-v${version}.md`;
