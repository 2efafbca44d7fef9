// Restoring a killed feature gradually: 10% → 50% → 100% by default, one step per hold. The
// schedule is a chain of deferred jobs in the database (it survives restarts), and a step
// that finds a new firing alert for the feature stops the ramp and turns the flag back off.
import type { FlaggedFeature } from '../../config/catalog.ts';
import { performOnce } from '../../jobs/effects.ts';
import type { JobDefinition } from '../../jobs/types.ts';
import { escapeMrkdwn } from '../../kernel/slack-text.ts';
import { insertAudit } from '../../store/flag-audit.ts';
import {
  findActiveRamp,
  insertFlagOperation,
  lockFlagOperation,
  updateFlagOperation,
} from '../../store/flags.ts';
import { latestFiringAlertSince } from '../../store/incidents.ts';
import { isUniqueViolation } from '../../store/tx.ts';
import { audit, auditFieldsOf } from './audit.ts';
import type { KillBaseDeps } from './deps.ts';
import type { Asker } from './kill-command.ts';
import { seconds, shortTime } from './messages.ts';
import { announce, type KillDeps, type LoadedOperation, loadOperation } from './operation.ts';

/** How long a step waits for the SDK view to show the new percentage before moving on. */
const STEP_VERIFY_MS = 10_000;

export function rampJobs(deps: KillDeps): JobDefinition[] {
  return [
    {
      name: 'ramp-step',
      maxAttempts: 30,
      backoff: { baseDelayMs: 1_000, maxDelayMs: 30_000 },
      handler: (job) => runStep(deps, job.operationId, job.index),
    },
  ];
}

/** Starts a ramp; returns the reply for the asker. One ramp per feature at a time. */
export async function startRamp(
  deps: KillDeps,
  feature: FlaggedFeature,
  asker: Asker,
  plan: { steps: number[]; holdSeconds: number; requestKey: string },
): Promise<string> {
  const u = feature.unleash;
  const running = await findActiveRamp(deps.db, feature.key);
  if (running) {
    return (
      `\`${feature.key}\` is already being restored by ${escapeMrkdwn(running.requestedByName)} ` +
      `(step ${running.stepIndex} of ${running.steps.length}). \`/ai-kill ${feature.key}\` stops it.`
    );
  }
  // The error-budget policy (freeze or kill) holds restores while the budget is exhausted.
  const frozen = await deps.restoreGuard.refuse(deps, feature, asker);
  if (frozen) return frozen;
  const reason = `restore ${plan.steps.join('% → ')}%${plan.steps.length > 1 ? `, hold ${plan.holdSeconds} s` : ''}`;
  let opId: string;
  try {
    const op = await insertFlagOperation(deps.db, {
      requestKey: plan.requestKey,
      kind: 'restore',
      featureKey: feature.key,
      project: u.project,
      flag: u.flag,
      environment: u.environment,
      requestedBy: asker.userId,
      requestedByName: asker.userName,
      reason,
      channel: feature.slack.alertsChannel,
      state: 'ramping',
      activeKey: feature.key,
      steps: plan.steps,
      holdSeconds: plan.holdSeconds,
    });
    opId = op.id;
  } catch (error) {
    // Unique violation: a replica or a retry started the same ramp a moment ago.
    if (isUniqueViolation(error)) return `\`${feature.key}\` is already being restored.`;
    throw error;
  }
  await audit(deps.db, {
    slackUserId: asker.userId,
    actorName: asker.userName,
    featureKey: feature.key,
    environment: u.environment,
    action: 'restore',
    reason,
    result: 'requested',
    operationId: opId,
  });
  await deps.queue.enqueue('ramp-step', `${opId}:0`, { operationId: opId, index: 0 }, { inline: true });
  return `Restoring \`${feature.key}\` in ${u.environment}: ${plan.steps.join('% → ')}%. Each step is posted in <#${feature.slack.alertsChannel}>.`;
}

export async function runStep(deps: KillDeps, operationId: string, index: number): Promise<void> {
  const loaded = await loadOperation(deps, operationId);
  if (!loaded) return;
  // This step is recorded but its job came back: the process that ran it died before its line
  // and the next step's timer. Finish those (both are idempotent) instead of returning — that
  // return left the ramp stalled at this step for good.
  if (stepRecorded(loaded, index)) return afterStep(deps, loaded, index, loaded.op.flippedAt);
  if (loaded.op.state !== 'ramping' || loaded.op.stepIndex !== index) return;
  const alert = await newAlert(deps, loaded);
  if (alert) return abort(deps, loaded, `a new alert fired: ${alert}`);
  const frozen = await deps.restoreGuard.frozenBecause(deps, loaded.feature);
  if (frozen) return abort(deps, loaded, frozen);
  const percent = loaded.op.steps[index] as number;
  const at = deps.clock.now();
  // The row lock makes a kill that arrives now wait until this step is done, so the kill's
  // flip always lands after the step's and the flag ends off.
  const changed = await deps.db.$transaction(
    async (tx) => {
      const row = await lockFlagOperation(tx, operationId);
      if (row?.state !== 'ramping' || row.stepIndex !== index) return false;
      await deps.unleash.admin.setRollout(loaded.ref, percent);
      if (index === 0) await deps.unleash.admin.setEnabled(loaded.ref, true);
      // A crash here rolls the step back; its retry sets the same percentage again.
      deps.faults.crashAt('ramp-step', `${index}:unleash:${operationId}`);
      const last = index === loaded.op.steps.length - 1;
      // flippedAt: when the ramp last changed the flag, so a resumed step knows when it was.
      await updateFlagOperation(tx, operationId, {
        stepIndex: index + 1,
        flippedAt: at,
        ...(last ? { state: 'done', activeKey: null, finishedAt: at } : {}),
      });
      // In the step's own transaction, so a retried step is audited once.
      await insertAudit(tx, {
        ...auditFieldsOf(loaded.op),
        action: 'flag.ramp_step',
        result: 'succeeded',
        unleashStatus: 200,
        detail: `${percent}%`,
      });
      return true;
    },
    { timeout: 20_000, maxWait: 20_000 },
  );
  if (!changed) return;
  deps.faults.crashAt('ramp-step', `${index}:recorded:${operationId}`);
  await afterStep(deps, loaded, index, at);
}

/** Step `index` is committed (stepIndex past it) and the ramp was not stopped since. */
function stepRecorded({ op }: LoadedOperation, index: number): boolean {
  return op.stepIndex === index + 1 && (op.state === 'ramping' || op.state === 'done');
}

/** What follows a recorded step: its line once, and the next step's timer, `at` + the hold. */
async function afterStep(
  deps: KillDeps,
  loaded: LoadedOperation,
  index: number,
  at: Date | null,
): Promise<void> {
  const { op } = loaded;
  const percent = op.steps[index] as number;
  const since = at?.getTime() ?? Date.now();
  const seen = await deps.unleash.watcher.waitFor(
    op.environment,
    op.flag,
    (v) => v.enabled && v.rollout === percent,
    STEP_VERIFY_MS,
    since,
  );
  const next = new Date(since + op.holdSeconds * 1000);
  const line = stepLine(loaded, index, next, seen.seen ? seen.afterMs : null);
  await announce(deps, loaded, `step-${index}`, line, 'flag.ramp_step');
  if (index + 1 < op.steps.length) {
    await deps.queue.enqueue(
      'ramp-step',
      `${op.id}:${index + 1}`,
      { operationId: op.id, index: index + 1 },
      { delayMs: Math.max(0, next.getTime() - deps.clock.now().getTime()) },
    );
  }
}

function stepLine(
  { op, feature }: LoadedOperation,
  index: number,
  next: Date,
  seenMs: number | null,
): string {
  const percent = op.steps[index] as number;
  const sdk = seenMs === null ? 'SDKs have not picked it up yet' : `SDKs see it after ${seconds(seenMs)}`;
  if (index === op.steps.length - 1) {
    return `:white_check_mark: *${feature.key}* is fully back ON in ${op.environment} (100%), restored by ${escapeMrkdwn(op.requestedByName)}. ${sdk}.`;
  }
  return (
    `:arrow_up_small: *${feature.key}* restore step ${index + 1} of ${op.steps.length}: ON for ${percent}% in ${op.environment}. ` +
    `${sdk}. Next: ${op.steps[index + 1]}% at ${shortTime(next, feature.slack.timeZone)} unless an alert fires.`
  );
}

/** A firing alert for the feature seen since the ramp began: its summary. */
async function newAlert(deps: KillBaseDeps, { op }: LoadedOperation): Promise<string | null> {
  const alert = await latestFiringAlertSince(deps.db, op.featureKey, op.createdAt);
  return alert ? alert.summary : null;
}

async function abort(deps: KillDeps, loaded: LoadedOperation, why: string): Promise<void> {
  const { op, feature } = loaded;
  await performOnce(deps, `ramp-abort-off:${op.id}`, {
    claimMs: 15_000,
    perform: async () => {
      await deps.unleash.admin.setEnabled(loaded.ref, false);
      return { at: deps.clock.now().toISOString() };
    },
    record: async (tx) => {
      await updateFlagOperation(tx, op.id, {
        state: 'aborted',
        activeKey: null,
        finishedAt: deps.clock.now(),
        lastError: why,
      });
    },
  });
  const at = op.steps[op.stepIndex - 1];
  await audit(deps.db, {
    ...auditFieldsOf(loaded.op),
    action: 'ramp_abort',
    result: 'succeeded',
    unleashStatus: 200,
    detail: why,
  });
  const text =
    `:octagonal_sign: Stopped restoring *${feature.key}*${at ? ` at ${at}%` : ''}: ${escapeMrkdwn(why)}. ` +
    `Turned it back OFF in ${op.environment}.`;
  await announce(deps, loaded, 'aborted', text, 'flag.ramp_aborted');
}
