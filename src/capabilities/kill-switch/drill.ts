// `/ai-kill drill <feature>`: the monthly rehearsal. In the drill environment: turn the flag
// off, wait for the SDK view, post the stakeholder update a real kill would use (as a draft,
// in the alerts channel only), turn it back on, wait again, and report the timings.

import type { JobDefinition } from '../../jobs/types.ts';
import { whatFailed } from '../../kernel/errors.ts';
import { escapeMrkdwn } from '../../kernel/slack-text.ts';
import { insertFlagOperationOnce, updateFlagOperation } from '../../store/flags.ts';
import { audit, auditFieldsOf } from './audit.ts';
import type { KillBaseDeps } from './deps.ts';
import { seconds, stakeholderUpdate } from './messages.ts';
import { announce, type KillDeps, loadOperation } from './operation.ts';

export function drillJobs(deps: KillDeps): JobDefinition[] {
  return [
    {
      name: 'flag-drill',
      maxAttempts: 5,
      backoff: { baseDelayMs: 2_000, maxDelayMs: 30_000 },
      handler: ({ operationId }) => runDrill(deps, operationId),
      // Never leave the drill environment off because the drill broke half-way.
      onGiveUp: ({ operationId }, error) => giveUp(deps, operationId, error),
    },
  ];
}

export async function runDrill(deps: KillDeps, operationId: string): Promise<void> {
  const loaded = await loadOperation(deps, operationId);
  if (!loaded || loaded.op.state !== 'pending') return;
  const { op, feature, ref } = loaded;
  const timeoutMs = deps.catalog.catalog.defaults.killVerifyTimeoutSeconds * 1000;
  const started = Date.now();
  await deps.unleash.admin.setEnabled(ref, false);
  const flipMs = Date.now() - started;
  const off = await deps.unleash.watcher.waitFor(
    op.environment,
    op.flag,
    (v) => !v.enabled,
    timeoutMs,
    started,
  );
  const draft = stakeholderUpdate(feature, deps.clock.now(), 'a kill-switch drill');
  await announce(
    deps,
    loaded,
    'draft',
    `:memo: Drill: the stakeholder update a real kill of *${feature.key}* would post in <#${feature.slack.stakeholderChannel}> (not sent):\n> ${draft}`,
    'flag.drill_draft',
  );
  const onAt = Date.now();
  await deps.unleash.admin.setEnabled(ref, true);
  const on = await deps.unleash.watcher.waitFor(op.environment, op.flag, (v) => v.enabled, timeoutMs, onAt);
  const totalMs = Date.now() - started;
  const passed = off.seen && on.seen;
  const report = {
    flipMs,
    offSeenMs: off.seen ? off.afterMs : null,
    onSeenMs: on.seen ? on.afterMs : null,
    totalMs,
    passed,
  };
  await updateFlagOperation(deps.db, op.id, {
    state: passed ? 'confirmed' : 'unverified',
    finishedAt: deps.clock.now(),
    report,
  });
  const detail = passed
    ? `passed: off seen after ${seconds(report.offSeenMs ?? 0)}, on after ${seconds(report.onSeenMs ?? 0)}`
    : 'failed: SDKs did not confirm';
  await audit(deps.db, {
    ...auditFieldsOf(loaded.op),
    action: 'drill',
    result: passed ? 'succeeded' : 'failed',
    unleashStatus: 200,
    detail,
  });
  const verdict = passed
    ? ':white_check_mark: Drill passed'
    : ':x: Drill FAILED: SDKs did not confirm the change';
  const text =
    `${verdict} for *${feature.key}* in ${op.environment} (${escapeMrkdwn(op.requestedByName)}). ` +
    `Off in Unleash after ${seconds(flipMs)}; SDKs saw it off ${off.seen ? `after ${seconds(off.afterMs)}` : 'never'}; ` +
    `back on, SDKs saw it on ${on.seen ? `after ${seconds(on.afterMs)}` : 'never'}. Total ${seconds(totalMs)}.`;
  await announce(deps, loaded, 'report', text, 'flag.drill_report');
}

async function giveUp(deps: KillDeps, operationId: string, error: unknown): Promise<void> {
  const loaded = await loadOperation(deps, operationId);
  if (!loaded) return;
  await deps.unleash.admin.setEnabled(loaded.ref, true).catch(() => {});
  await updateFlagOperation(deps.db, operationId, {
    state: 'failed',
    finishedAt: deps.clock.now(),
    lastError: (error as Error).message,
  });
  await audit(deps.db, {
    ...auditFieldsOf(loaded.op),
    action: 'drill',
    result: 'failed',
    detail: (error as Error).message,
  });
  await announce(
    deps,
    loaded,
    'failed',
    `:x: Drill of *${loaded.feature.key}* failed: ${escapeMrkdwn(whatFailed(error))}`,
    'flag.drill_report',
  );
}

/** Stores the drill and queues it; the reply for the asker. */
export async function startDrill(
  deps: KillBaseDeps,
  input: { featureKey: string; project: string; flag: string; environment: string; channel: string },
  asker: { userId: string; userName: string; requestKey: string },
): Promise<void> {
  const op = await insertFlagOperationOnce(deps.db, {
    requestKey: asker.requestKey,
    kind: 'drill',
    ...input,
    requestedBy: asker.userId,
    requestedByName: asker.userName,
    reason: 'drill',
    steps: [],
  });
  await audit(deps.db, { ...auditFieldsOf(op), action: 'drill', result: 'requested' });
  await deps.queue.enqueue('flag-drill', op.id, { operationId: op.id });
}
