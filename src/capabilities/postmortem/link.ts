// The download link of a draft: /postmortems/<id>.md?v=<version>&token=<HMAC>. Nothing is
// stored: the token is an HMAC of the postmortem id and version under a key derived from the
// Slack signing secret (so there is no new secret to provision, and a leaked link key says
// nothing about request signing). A link opens exactly one version; a new version gets its own.

import { linkSignatureValid, signLink } from '../../kernel/signed-links.ts';
import type { PostmortemDeps } from './deps.ts';

const KEY_INFO = 'failsafe postmortem link v1';
const TOKEN = /^[A-Za-z0-9_-]{43}$/; // 32 bytes of HMAC-SHA256, base64url without padding

export function signDownload(secret: string, postmortemId: string, version: number): string {
  return signLink(secret, KEY_INFO, `${postmortemId}:${version}`);
}

export function verifyDownload(
  secret: string | undefined,
  postmortemId: string,
  version: number,
  token: string,
): boolean {
  // Without a key no token can be ours; an empty key would otherwise verify.
  if (!TOKEN.test(token)) return false;
  return linkSignatureValid(secret, KEY_INFO, `${postmortemId}:${version}`, token);
}

/** Null without SLACK_SIGNING_SECRET: there is no key to sign with. */
export function downloadUrl(
  deps: Pick<PostmortemDeps, 'config'>,
  postmortemId: string,
  version: number,
): string | null {
  const secret = deps.config.slack.signingSecret;
  if (!secret) return null;
  const token = signDownload(secret, postmortemId, version);
  return `${deps.config.publicUrl}/postmortems/${postmortemId}.md?v=${version}&token=${token}`;
}

export const fileName = (incidentNumber: number, version: number) =>
  `postmortem-incident-${incidentNumber}-v${version}.md`;
