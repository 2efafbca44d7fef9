// Incidents resolve in many places (a Slack button, the PagerDuty app, the last alert
// resolving inside the database), so instead of a hook in each, a sweep finds the ones that
// resolved lately and stores their follow-ups. The sweep is a chain of deferred jobs, one per
// time slot (the job id comes from the slot, so any number of replicas run each slot once),
// each storing the next before it works. The chain is armed by /ai-postmortem and by the
// first Slack request a process sees in each slot; once armed it outlives restarts.

import type { JobDefinition } from '../../jobs/types.ts';
import { resolvedAwaitingReview } from '../../store/postmortems.ts';
import type { PostmortemDeps } from './deps.ts';
import { STAGES, scheduleFollowUps } from './follow-ups.ts';

export const SWEEP_EVERY_MS = 10 * 60_000;

export const nextSlot = (nowMs: number) => (Math.floor(nowMs / SWEEP_EVERY_MS) + 1) * SWEEP_EVERY_MS;

export async function scheduleSweep(deps: PostmortemDeps, slotMs: number): Promise<void> {
  const slot = new Date(slotMs).toISOString();
  const delayMs = Math.max(0, slotMs - deps.clock.now().getTime());
  await deps.queue.enqueue('postmortem-sweep', `sweep:${slot}`, { slot }, { delayMs });
}

export function sweepJobs(deps: PostmortemDeps): JobDefinition[] {
  return [
    {
      name: 'postmortem-sweep',
      maxAttempts: 3,
      backoff: { baseDelayMs: 1_000, maxDelayMs: 10_000 },
      handler: async ({ slot }, ctx) => {
        if (ctx.attempt === 1)
          await scheduleSweep(deps, nextSlot(Math.max(Date.parse(slot), deps.clock.now().getTime())));
        await sweepResolved(deps);
      },
    },
  ];
}

/**
 * Stores the follow-ups of every incident resolved within the last 72 hours (and a margin)
 * that has a channel or a draft and no review. Returns how many incidents it looked at.
 */
export async function sweepResolved(deps: PostmortemDeps): Promise<number> {
  const now = deps.clock.now();
  const since = new Date(now.getTime() - STAGES['72h'] - 2 * SWEEP_EVERY_MS);
  const incidents = await resolvedAwaitingReview(deps.db, since, now);
  for (const i of incidents) await scheduleFollowUps(deps, i);
  return incidents.length;
}

/** Arms the chain at most once per slot per process; failures are logged, never thrown. */
export function createSweepArmer(deps: PostmortemDeps) {
  let armed = 0;
  return (): void => {
    const slot = nextSlot(deps.clock.now().getTime());
    if (armed === slot) return;
    armed = slot;
    scheduleSweep(deps, slot).catch((error: unknown) => {
      armed = 0;
      deps.logger.warn({ err: error }, 'could not arm the postmortem follow-up sweep');
    });
  };
}
