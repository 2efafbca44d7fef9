// The timeline is append-only: entries are inserted once (a retried job hits the dedup key and
// adds nothing) and never updated. Capabilities record through this kernel service; its SQL is
// in the store.
export { recordEntry, type TimelineInput } from '../store/timeline.ts';
