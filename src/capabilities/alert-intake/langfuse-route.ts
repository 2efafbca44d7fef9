// POST /alerts/langfuse: a Langfuse automation's webhook. The signature header is checked
// before the body is read, the raw body against LANGFUSE_WEBHOOK_SECRETS before it is parsed;
// then the body is stored and its monitor alert (if any) goes the way of every other alert.
// 2xx only after the commit, for the events Failsafe ignores too: Langfuse disables an
// automation whose endpoint keeps failing, so a prompt change must not count as a failure.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, readJson, sendJson } from '../../http/io.ts';
import type { RouteContext } from '../../http/router.ts';
import { afterCommit, type Batcher, commit, summarise } from './accept.ts';
import type { IntakeDeps } from './deps.ts';
import {
  MAX_SIGNATURE_AGE_SECONDS,
  readLangfuseHeader,
  type SignatureProblem,
  verifyLangfuseSignature,
} from './signatures.ts';
import { parseLangfuse } from './sources/index.ts';

export const LANGFUSE_SIGNATURE_HEADER = 'x-langfuse-signature';

const WHY: Record<SignatureProblem, string> = {
  missing: `missing ${LANGFUSE_SIGNATURE_HEADER} (set a signing secret on the Langfuse webhook action)`,
  malformed: `${LANGFUSE_SIGNATURE_HEADER} must read t=<unix seconds>,v1=<hex HMAC-SHA256>`,
  stale: `${LANGFUSE_SIGNATURE_HEADER} timestamp is more than ${MAX_SIGNATURE_AGE_SECONDS / 60} minutes from this server's clock`,
  mismatch: `invalid ${LANGFUSE_SIGNATURE_HEADER}`,
};

const refused = (problem: SignatureProblem) => new HttpError(401, 'invalid_signature', WHY[problem]);

export async function receiveLangfuse(
  deps: IntakeDeps,
  batcher: Batcher,
  req: IncomingMessage,
  res: ServerResponse,
  ctx: RouteContext,
): Promise<void> {
  const secrets = deps.config.langfuse.webhookSecrets;
  try {
    if (secrets.length === 0) {
      ctx.log.warn('Langfuse webhook refused: LANGFUSE_WEBHOOK_SECRETS is not set');
      throw new HttpError(
        404,
        'not_configured',
        'Langfuse alerts are off: set LANGFUSE_WEBHOOK_SECRETS to the signing secret of the Langfuse webhook (lf-whsec_…)',
      );
    }
    const header = req.headers[LANGFUSE_SIGNATURE_HEADER];
    const now = deps.clock.now().getTime();
    const early = readLangfuseHeader(header, now);
    if (!early.ok) throw refused(early.problem);
    const { body } = await readJson(req, {
      verify: (raw) => {
        const verdict = verifyLangfuseSignature(header, raw, secrets, now);
        if (!verdict.ok) throw refused(verdict.problem);
      },
    });
    const parsed = parseLangfuse(body, {
      featureLabel: deps.catalog.catalog.defaults.featureLabel,
      now: deps.clock.now(),
    });
    if (!parsed.ok)
      throw new HttpError(400, 'invalid_payload', `${parsed.field}: ${parsed.message}`, parsed.field);
    const result = await commit(deps, batcher, 'langfuse', ctx.requestId, body, parsed.alerts);
    if ('ignored' in parsed) {
      ctx.log.info(
        { event: parsed.ignored, payloadId: result.payloadId },
        'Langfuse event stored and acknowledged; it is not an alert, so nothing is paged',
      );
      sendJson(res, 202, { accepted: 0, ignored: parsed.ignored });
      return;
    }
    sendJson(res, 202, summarise(result));
    if (result.opened.length) deps.faults.crashAt('alerts-committed', result.opened.join(','));
    await afterCommit(deps, result, ctx);
  } catch (error) {
    if (error instanceof HttpError)
      deps.metrics.alertsReceived.inc({ source: 'langfuse', outcome: 'rejected' });
    throw error;
  }
}
