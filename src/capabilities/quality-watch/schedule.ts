// Evaluation runs as a chain of deferred jobs, one per slot, as the error budget's does: the
// job id comes from the slot, so however many replicas schedule it, each slot is evaluated
// once. Each run schedules the next slot before it works, and every accepted batch with
// measurements re-arms the chain in case it was never started or was lost.
import type { AppDeps } from '../../deps.ts';
import type { JobDefinition } from '../../jobs/types.ts';
import { pruneMeasurements } from '../../store/measurements.ts';
import type { WatchDeps } from './deps.ts';
import { evaluateWatches } from './evaluate.ts';
import { MINUTE_RETENTION_MS } from './read.ts';

type ArmDeps = Pick<AppDeps, 'clock' | 'queue' | 'catalog'>;

export function everyMs(deps: Pick<AppDeps, 'catalog'>): number {
  return deps.catalog.catalog.defaults.watch.evaluateEverySeconds * 1000;
}

/** The first slot boundary after `now`. */
export function nextSlot(nowMs: number, every: number): number {
  return (Math.floor(nowMs / every) + 1) * every;
}

export async function scheduleWatchEvaluation(deps: ArmDeps, slotMs: number): Promise<boolean> {
  const slot = new Date(slotMs).toISOString();
  const delayMs = Math.max(0, slotMs - deps.clock.now().getTime());
  return deps.queue.enqueue('watch-evaluate', `watch-evaluate:${slot}`, { slot }, { delayMs });
}

/** Hour rows are kept for the longest baseline and a day more. */
function hoursMs(deps: WatchDeps): number {
  const baselines = deps.catalog.catalog.features.flatMap((f) =>
    f.watches.map((w) => (w.kind === 'fixed' ? 0 : w.baselineSeconds)),
  );
  return (Math.max(deps.catalog.catalog.defaults.watch.baselineSeconds, ...baselines) + 86_400) * 1000;
}

export function evaluationJobs(deps: WatchDeps): JobDefinition[] {
  return [
    {
      name: 'watch-evaluate',
      maxAttempts: 3,
      backoff: { baseDelayMs: 1_000, maxDelayMs: 10_000 },
      handler: async ({ slot }, ctx) => {
        const every = everyMs(deps);
        if (ctx.attempt === 1)
          await scheduleWatchEvaluation(
            deps,
            nextSlot(Math.max(Date.parse(slot), deps.clock.now().getTime()), every),
          );
        const now = deps.clock.now();
        const started = performance.now();
        const result = await evaluateWatches(deps, now);
        deps.logger.info(
          {
            slot,
            watches: result.watches,
            changes: result.changes.length,
            ms: Math.round(performance.now() - started),
          },
          'quality watches evaluated',
        );
        if (Date.parse(slot) % 3_600_000 < every)
          await pruneMeasurements(deps.db, now, { minutesMs: MINUTE_RETENTION_MS, hoursMs: hoursMs(deps) });
      },
    },
  ];
}

/** Called after a batch is stored: arms the chain at most once per slot per runtime. */
export function createWatchArmer() {
  let armed = 0;
  return async (deps: ArmDeps): Promise<void> => {
    const slot = nextSlot(deps.clock.now().getTime(), everyMs(deps));
    if (armed === slot) return;
    armed = slot;
    await scheduleWatchEvaluation(deps, slot);
  };
}
