// What the kill switch's Unleash-backed part needs: everything it touches, with Unleash
// non-null (index.ts registers that part only when Unleash is configured).
import type { Feature } from '../../config/catalog.ts';
import type { AppDeps, UnleashClients } from '../../deps.ts';
import type { IncidentChanged } from '../../kernel/incident-changed.ts';

export type KillBaseDeps = Pick<
  AppDeps,
  | 'config'
  | 'catalog'
  | 'faults'
  | 'db'
  | 'queue'
  | 'logger'
  | 'metrics'
  | 'clock'
  | 'slack'
  | 'people'
  | 'pagerduty'
> & {
  /** Told when a flag of an incident's feature was killed or restored (its summary shows the flag). */
  incidentChanged?: IncidentChanged;
};

/**
 * What may hold a restore back (the error-budget policy), passed in by the runtime so the kill
 * switch does not import the error budget, which itself asks the kill switch for kills.
 */
export interface RestoreGuard {
  /** Why a restore of `feature` must wait, or null when it need not. */
  frozenBecause(deps: Pick<AppDeps, 'clock' | 'db'>, feature: Feature): Promise<string | null>;
  /** The refusal for the asker (audited), or null to go ahead. */
  refuse(
    deps: Pick<AppDeps, 'clock' | 'db'>,
    feature: Feature,
    asker: { userId: string; userName: string },
  ): Promise<string | null>;
}

/** Nothing holds restores back: for a deployment without the error-budget capability. */
export const NO_RESTORE_GUARD: RestoreGuard = {
  frozenBecause: async () => null,
  refuse: async () => null,
};

export type KillDeps = KillBaseDeps & { unleash: UnleashClients; restoreGuard: RestoreGuard };
