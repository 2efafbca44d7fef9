// "Something an incident shows has changed" (its state, who has it, the next stakeholder update,
// its flag): told to whatever keeps a view of the incident current, the incident channel's
// pinned summary. capabilities/index.ts passes it in, so paging, the kill switch and stakeholder
// updates need not import incident-channel, which itself imports paging.
import type { AppDeps } from '../deps.ts';

export type IncidentChanged = (deps: Pick<AppDeps, 'clock' | 'queue'>, incidentId: string) => Promise<void>;
