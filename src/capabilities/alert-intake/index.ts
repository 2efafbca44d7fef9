// POST /alerts/:source — monitoring webhooks in. The answer is 2xx only after the alerts are
// committed; a database failure answers 503 so Alertmanager retries, and anything that can
// never become valid answers 4xx with the field named, having written nothing.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { requireBearer } from '../../http/auth.ts';
import { HttpError, readJson, sendJson } from '../../http/io.ts';
import type { RouteContext } from '../../http/router.ts';
import type { Capability } from '../../kernel/capability.ts';
import { afterCommit, type Batcher, commit, summarise } from './accept.ts';
import { createIntakeBatcher } from './batcher.ts';
import type { IntakeDeps } from './deps.ts';
import { grafanaSigns, requireGrafanaSignature } from './grafana-auth.ts';
import { receiveLangfuse } from './langfuse-route.ts';
import { parseAlerts } from './sources/index.ts';
import type { AlertSource } from './types.ts';

export { signGrafana, signLangfuse } from './signatures.ts';
export type { AlertStatus, NormalisedAlert, Severity } from './types.ts';

/** The sources behind the bearer token; Langfuse signs its requests and has a route of its own. */
const SOURCES: readonly AlertSource[] = ['alertmanager', 'grafana', 'generic'];

export function createAlertIntake(): Capability<IntakeDeps> {
  return {
    name: 'alert-intake',
    register(_app, deps) {
      const batcher = createIntakeBatcher(deps.db);
      // Before /alerts/:source, which would otherwise take it: the router tries routes in order.
      deps.http.route('POST', '/alerts/langfuse', (req, res, ctx) =>
        receiveLangfuse(deps, batcher, req, res, ctx),
      );
      deps.http.route('POST', '/alerts/:source', (req, res, ctx) =>
        receiveAlerts(deps, batcher, req, res, ctx),
      );
    },
    jobs: () => [],
  };
}

export async function receiveAlerts(
  deps: IntakeDeps,
  batcher: Batcher,
  req: IncomingMessage,
  res: ServerResponse,
  ctx: RouteContext,
): Promise<void> {
  const source = ctx.params.source as AlertSource;
  // Authenticate first: strangers learn nothing, not even which sources exist. A signed
  // Grafana request is checked by its headers here and by its raw body before it is parsed.
  const verify = source === 'grafana' && grafanaSigns(deps) ? requireGrafanaSignature(deps, req) : null;
  if (!verify) requireBearer(req, deps.config.alertToken);
  if (!SOURCES.includes(source)) {
    throw new HttpError(
      404,
      'unknown_source',
      `unknown alert source; use one of ${SOURCES.join(', ')}, langfuse`,
    );
  }
  try {
    const { body } = await readJson(req, verify ? { verify } : {});
    const parsed = parseAlerts(source, body, {
      featureLabel: deps.catalog.catalog.defaults.featureLabel,
      now: deps.clock.now(),
    });
    if (!parsed.ok)
      throw new HttpError(400, 'invalid_payload', `${parsed.field}: ${parsed.message}`, parsed.field);
    const result = await commit(deps, batcher, source, ctx.requestId, body, parsed.alerts);
    sendJson(res, 202, summarise(result));
    if (result.opened.length) deps.faults.crashAt('alerts-committed', result.opened.join(','));
    await afterCommit(deps, result, ctx);
  } catch (error) {
    if (error instanceof HttpError) deps.metrics.alertsReceived.inc({ source, outcome: 'rejected' });
    throw error;
  }
}
