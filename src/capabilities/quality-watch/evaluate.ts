// One evaluation cycle: every watch read at once (read.ts), each streak moved on, and only the
// changes acted on: one fire and one recovery per episode.
import type { Feature } from '../../config/catalog.ts';
import { claimWatchTransition, saveWatchReading, setWatchFiring, watchStates } from '../../store/watches.ts';
import { actOnWatch } from './alert.ts';
import type { WatchDeps } from './deps.ts';
import { step } from './judge.ts';
import type { Verdict } from './messages.ts';
import { readWatches, type WatchStatus, watchedFeatures } from './read.ts';

export interface WatchEvaluation {
  watches: number;
  /** Watches that fired or recovered in this cycle. */
  changes: { feature: string; metric: string; firing: boolean; summary?: string }[];
}

export async function evaluateWatches(
  deps: WatchDeps,
  now: Date = deps.clock.now(),
): Promise<WatchEvaluation> {
  const features = watchedFeatures(deps);
  const statuses = await readWatches(deps, features, now);
  const out: WatchEvaluation = { watches: statuses.length, changes: [] };
  if (!statuses.length) return out;
  const states = new Map(
    (
      await watchStates(
        deps.db,
        features.map((f) => f.key),
      )
    ).map((s) => [`${s.featureKey}\0${s.metric}`, s]),
  );
  // Data time: the end of the last complete minute, so "for 10m" counts minutes of data.
  const end = Math.floor(now.getTime() / 60_000) * 60_000;
  for (const status of statuses) {
    const { feature, watch } = status;
    try {
      const state = states.get(`${feature.key}\0${watch.metric}`);
      const streak = {
        firing: state?.firing ?? false,
        outSince: state?.outSince?.getTime() ?? null,
        inSince: state?.inSince?.getTime() ?? null,
      };
      const next = step(streak, status.reading, watch.forSeconds * 1000, end);
      await saveWatchReading(deps.db, {
        featureKey: feature.key,
        metric: watch.metric,
        outSince: next.outSince === null ? null : new Date(next.outSince),
        inSince: next.inSince === null ? null : new Date(next.inSince),
        value: status.value,
        at: now,
      });
      if (next.change === 'none') continue;
      const firing = next.change === 'fire';
      const verdict = verdictOf(status, next.lastedMs);
      if (await transition(deps, feature, verdict, firing, now, state?.incidentId ?? null))
        out.changes.push({ feature: feature.key, metric: watch.metric, firing });
    } catch (error) {
      // One watch's failure (Slack down, say) must not hold up the others.
      deps.logger.error(
        { err: error, feature: feature.key, metric: watch.metric },
        'watch evaluation failed',
      );
    }
  }
  return out;
}

function verdictOf(status: WatchStatus, lastedMs: number): Verdict {
  return {
    watch: status.watch,
    featureKey: status.feature.key,
    value: status.value ?? 0,
    band: status.band ?? { lo: null, hi: null },
    basis: status.basis,
    lastedMs,
    links: status.links,
  };
}

/** Claims the change, then acts; if acting fails the claim is undone and the next cycle retries. */
async function transition(
  deps: WatchDeps,
  feature: Feature,
  verdict: Verdict,
  firing: boolean,
  now: Date,
  incidentId: string | null,
): Promise<boolean> {
  const { metric } = verdict.watch;
  if (!(await claimWatchTransition(deps.db, { featureKey: feature.key, metric, firing, at: now })))
    return false;
  try {
    await actOnWatch(deps, feature, verdict, firing, now, firing ? null : incidentId);
  } catch (error) {
    await setWatchFiring(deps.db, feature.key, metric, !firing);
    throw error;
  }
  return true;
}
