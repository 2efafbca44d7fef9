// After the flip: watch the SDK view until it shows the flag off, record the verdict (confirmed
// or unverified) with its audit row in one transaction, then say it — and page the owner when
// unverified. A process that dies between the record and the saying leaves its job to come
// back; the verdict is then said from the record, once (the line is posted by effect key).
import { insertAudit } from '../../store/flag-audit.ts';
import { updateFlagOperation } from '../../store/flags.ts';
import { auditFieldsOf } from './audit.ts';
import { confirmedOffLine, type KillFacts, unverifiedOffLine } from './messages.ts';
import { announce, type KillDeps, type LoadedOperation, loadOperation } from './operation.ts';

export async function verifyOff(deps: KillDeps, operationId: string): Promise<void> {
  const loaded = await loadOperation(deps, operationId);
  if (!loaded?.op.flippedAt) return;
  // Recorded by a process that died before saying it (this job came back after its lease).
  if (loaded.op.state === 'confirmed') return sayConfirmed(deps, loaded, loaded.op.confirmMs ?? 0);
  if (loaded.op.state === 'unverified') return sayUnverified(deps, loaded);
  if (loaded.op.state !== 'flipped') return;
  const { op } = loaded;
  const flippedAt = op.flippedAt as Date;
  const remaining = Math.max(0, flippedAt.getTime() + timeoutMs(deps) - deps.clock.now().getTime());
  const seen = await deps.unleash.watcher.waitFor(
    op.environment,
    op.flag,
    (v) => !v.enabled,
    remaining,
    flippedAt.getTime(),
  );
  const now = deps.clock.now();
  if (seen.seen) {
    await deps.db.$transaction(async (tx) => {
      await updateFlagOperation(tx, op.id, {
        state: 'confirmed',
        confirmedAt: now,
        confirmMs: seen.afterMs,
        finishedAt: now,
      });
      await insertAudit(tx, {
        ...auditFieldsOf(op),
        action: 'kill',
        result: 'confirmed',
        detail: `SDKs saw it off after ${seen.afterMs} ms`,
      });
    });
    deps.faults.crashAt('kill-verdict', `confirmed:${op.id}`);
    return sayConfirmed(deps, loaded, seen.afterMs);
  }
  const why = deps.unleash.watcher.canWatch(op.environment)
    ? `SDK view still ${seen.view ? (seen.view.enabled ? 'ON' : 'unknown') : 'unreachable'}`
    : `no UNLEASH_CLIENT_TOKEN for environment ${op.environment}`;
  await deps.db.$transaction(async (tx) => {
    await updateFlagOperation(tx, op.id, { state: 'unverified', finishedAt: now, lastError: why });
    await insertAudit(tx, { ...auditFieldsOf(op), action: 'kill', result: 'unverified', detail: why });
  });
  deps.faults.crashAt('kill-verdict', `unverified:${op.id}`);
  await sayUnverified(deps, loaded);
}

const timeoutMs = (deps: KillDeps) => deps.catalog.catalog.defaults.killVerifyTimeoutSeconds * 1000;

function factsOf({ op, feature }: LoadedOperation): KillFacts {
  return {
    feature,
    environment: op.environment,
    at: op.flippedAt as Date,
    by: op.requestedByName,
    reason: op.reason,
  };
}

async function sayConfirmed(deps: KillDeps, loaded: LoadedOperation, afterMs: number): Promise<void> {
  await announce(
    deps,
    loaded,
    'confirmed',
    confirmedOffLine(factsOf(loaded), afterMs),
    'flag.kill_confirmed',
  );
}

async function sayUnverified(deps: KillDeps, loaded: LoadedOperation): Promise<void> {
  const { op, feature } = loaded;
  const text = unverifiedOffLine(factsOf(loaded), Math.round(timeoutMs(deps) / 1000), feature.owner.slack);
  await announce(deps, loaded, 'unverified', text, 'flag.kill_unverified');
  await deps.queue.enqueue('kill-page-owner', op.id, { operationId: op.id }, { inline: true });
}
