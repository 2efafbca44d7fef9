// What this capability touches of the app's dependencies, and nothing more: a change to
// another part of AppDeps cannot reach it.
import type { PagingDeps } from '../paging/index.ts';

/** Paging's slice: a watch that fires with notify: page pages through it. */
export type WatchDeps = PagingDeps;
