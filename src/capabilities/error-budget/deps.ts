// What this capability touches of the app's dependencies, and nothing more: a change to
// another part of AppDeps cannot reach it.
import type { AppDeps } from '../../deps.ts';
import type { PagingDeps } from '../paging/index.ts';

/** Paging's slice (a burn alert pages through it) and the kill switch's Unleash. */
export type BudgetDeps = PagingDeps & Pick<AppDeps, 'unleash'>;
