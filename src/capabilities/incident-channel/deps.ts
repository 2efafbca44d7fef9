// What this capability touches of the app's dependencies: what paging needs (it acts on
// incidents through paging's public API) and Unleash (a channel's summary shows its flag).
import type { AppDeps } from '../../deps.ts';
import type { PagingDeps } from '../paging/index.ts';

export type ChannelDeps = PagingDeps & Pick<AppDeps, 'unleash'>;
