export type { AppDeps as PagingDeps } from '../../deps.ts';
