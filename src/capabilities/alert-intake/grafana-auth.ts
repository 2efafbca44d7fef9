// POST /alerts/grafana with GRAFANA_WEBHOOK_SECRET set: Grafana's HMAC signature replaces the
// bearer token (a request without it is refused even with a valid token, or setting the secret
// would protect nothing). Unset, the route takes the bearer token as it always did.
import type { IncomingMessage } from 'node:http';
import { HttpError } from '../../http/io.ts';
import type { IntakeDeps } from './deps.ts';
import {
  type GrafanaSignatureHeaders,
  MAX_SIGNATURE_AGE_SECONDS,
  readGrafanaHeaders,
  type SignatureProblem,
  verifyGrafanaSignature,
} from './signatures.ts';

export function grafanaSigns(deps: IntakeDeps): boolean {
  return deps.config.grafana.webhookSecrets.length > 0;
}

/**
 * Checked before a byte of the body is read: a signature header that could be valid and, when
 * sent, a fresh timestamp. Returns the check of the raw body, for readJson's `verify`.
 */
export function requireGrafanaSignature(deps: IntakeDeps, req: IncomingMessage): (raw: Buffer) => void {
  const { webhookSecrets, signatureHeader, timestampHeader } = deps.config.grafana;
  const headers: GrafanaSignatureHeaders = {
    signature: req.headers[signatureHeader],
    timestamp: req.headers[timestampHeader],
  };
  const now = deps.clock.now().getTime();
  const early = readGrafanaHeaders(headers, now);
  if (!early.ok) throw refused(deps, early.problem);
  return (raw) => {
    const verdict = verifyGrafanaSignature(headers, raw, webhookSecrets, now);
    if (!verdict.ok) throw refused(deps, verdict.problem);
  };
}

function refused(deps: IntakeDeps, problem: SignatureProblem): HttpError {
  const { signatureHeader, timestampHeader } = deps.config.grafana;
  const why: Record<SignatureProblem, string> = {
    missing: `missing ${signatureHeader} (GRAFANA_WEBHOOK_SECRET is set, so Grafana's HMAC signature is required)`,
    malformed: `${signatureHeader} must be a hex HMAC-SHA256 and ${timestampHeader} unix seconds`,
    stale: `${timestampHeader} is more than ${MAX_SIGNATURE_AGE_SECONDS / 60} minutes from this server's clock`,
    mismatch: `invalid ${signatureHeader}`,
  };
  return new HttpError(401, 'invalid_signature', why[problem]);
}
