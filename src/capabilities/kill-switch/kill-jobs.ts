// The durable half of a kill: flip the flag off once (retried with back-off while Unleash
// is busy or down), then watch the SDK view until it shows off, then say so — or page the
// owner when it never does.
import { UpstreamError } from '../../adapters/http.ts';
import { performOnce } from '../../jobs/effects.ts';
import type { JobDefinition } from '../../jobs/types.ts';
import { whatFailed } from '../../kernel/errors.ts';
import { insertAudit } from '../../store/flag-audit.ts';
import { updateFlagOperation } from '../../store/flags.ts';
import { audit, auditFieldsOf } from './audit.ts';
import type { KillBaseDeps } from './deps.ts';
import { unleashFailure } from './kill-command.ts';
import { verifyOff } from './kill-verify.ts';
import { failedLine, pendingLine } from './messages.ts';
import { announce, type KillDeps, loadOperation } from './operation.ts';

export function killJobs(deps: KillDeps): JobDefinition[] {
  return [
    {
      name: 'flag-kill',
      maxAttempts: 30,
      backoff: { baseDelayMs: 1_000, maxDelayMs: 30_000 },
      handler: ({ operationId }) => flipOff(deps, operationId),
      onRetry: ({ operationId }, error) => tellPending(deps, operationId, error),
      onGiveUp: ({ operationId }, error) => tellFailed(deps, operationId, error),
    },
    {
      name: 'flag-verify',
      maxAttempts: 5,
      handler: ({ operationId }) => verifyOff(deps, operationId),
    },
    {
      name: 'kill-page-owner',
      maxAttempts: 20,
      handler: ({ operationId }) => pageOwner(deps, operationId),
    },
  ];
}

export async function flipOff(deps: KillDeps, operationId: string): Promise<void> {
  const loaded = await loadOperation(deps, operationId);
  if (!loaded || loaded.op.state !== 'pending') return;
  const { op, ref } = loaded;
  await performOnce(deps, `flag-off:${op.id}`, {
    claimMs: 15_000,
    perform: async () => {
      await deps.unleash.admin.setEnabled(ref, false);
      return { at: deps.clock.now().toISOString() };
    },
    record: async (tx, result) => {
      await updateFlagOperation(tx, op.id, { state: 'flipped', flippedAt: new Date(result.at) });
      await insertAudit(tx, {
        ...auditFieldsOf(loaded.op),
        action: 'kill',
        result: 'succeeded',
        unleashStatus: 200,
        operationId: op.id,
      });
    },
  });
  await deps.queue.enqueue('flag-verify', op.id, { operationId: op.id });
}

async function tellPending(deps: KillDeps, operationId: string, error: unknown): Promise<void> {
  const loaded = await loadOperation(deps, operationId);
  if (!loaded) return;
  await audit(deps.db, {
    ...auditFieldsOf(loaded.op),
    action: 'kill',
    result: 'pending',
    ...unleashFailure(error),
    operationId,
  });
  // Said once per kill, however many retries follow.
  const text = pendingLine(loaded.feature, loaded.op.environment, describe(error));
  await announce(deps, loaded, 'pending', text, 'flag.kill_pending');
}

async function tellFailed(deps: KillDeps, operationId: string, error: unknown): Promise<void> {
  const loaded = await loadOperation(deps, operationId);
  if (!loaded) return;
  await updateFlagOperation(deps.db, operationId, {
    state: 'failed',
    finishedAt: deps.clock.now(),
    lastError: describe(error),
  });
  await audit(deps.db, {
    ...auditFieldsOf(loaded.op),
    action: 'kill',
    result: 'failed',
    ...unleashFailure(error),
    operationId,
  });
  await announce(
    deps,
    loaded,
    'failed',
    failedLine(loaded.feature, loaded.op.environment, describe(error)),
    'flag.kill_failed',
  );
}

function describe(error: unknown): string {
  if (error instanceof UpstreamError) {
    if (error.kind === 'config') {
      return `Unleash refused the admin token (UNLEASH_ADMIN_TOKEN, HTTP ${error.status}); fix the token or its permissions`;
    }
    return `Unleash answered ${error.status ? `HTTP ${error.status}` : 'nothing'} (${error.summary})`;
  }
  return whatFailed(error);
}

/** Pages the feature's owner in PagerDuty (as the assignee when they have an account). */
export async function pageOwner(deps: KillBaseDeps, operationId: string): Promise<void> {
  const loaded = await loadOperation(deps, operationId);
  if (!loaded) return;
  const { op, feature } = loaded;
  const title = `Kill switch for ${feature.name} not confirmed: SDKs may still serve it`;
  const details =
    `${op.requestedByName} turned off ${op.flag} in ${op.environment} (${op.reason}), ` +
    'but the Unleash client API still did not show it off within the verification timeout.';
  await performOnce(deps, `kill-page-owner:${op.id}`, {
    claimMs: 30_000,
    perform: async () => {
      const rest = deps.pagerduty.rest;
      if (rest && feature.pagerduty.service) {
        const owner = feature.owner.email ? await rest.findUserByEmail(feature.owner.email) : null;
        const incident = await rest.createIncident({
          serviceId: feature.pagerduty.service,
          title,
          urgency: 'high',
          incidentKey: `failsafe-kill-unverified-${op.id}`,
          details,
          ...(owner ? { assigneeUserId: owner.id } : {}),
        });
        return { pdIncidentId: incident.id };
      }
      if (feature.pagerduty.routingKey) {
        await deps.pagerduty.events.enqueue({
          routingKey: feature.pagerduty.routingKey,
          action: 'trigger',
          dedupKey: `failsafe-kill-unverified-${op.id}`,
          summary: title,
          severity: 'critical',
          source: 'failsafe',
          customDetails: { details },
        });
        return { events: true };
      }
      return { none: true };
    },
  });
}
