// The timeline's SQL lives in the store; capabilities keep importing it from here.
export { recordEntry, type TimelineInput } from '../../store/timeline.ts';
