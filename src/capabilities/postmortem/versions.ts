// Drafts are stored as numbered versions. One postmortem row per incident (its unique index)
// is locked while a version is added, so a double click or two replicas make one version;
// a draft whose body is the same as the latest version's is not stored again.

import { findVersion, insertLatestVersion, lockPostmortem } from '../../store/postmortems.ts';
import { describeChanges } from './changes.ts';
import type { PostmortemDeps } from './deps.ts';
import { assemble, type Draft, draftHeader } from './draft.ts';

export interface SavedVersion {
  postmortemId: string;
  version: number;
  /** False when nothing changed since the latest version (which is returned instead). */
  created: boolean;
  changes: string | null;
  channelId: string | null;
  sharedAt: Date | null;
}

/** The body of a stored draft: everything from its first section on. */
export const bodyOf = (markdown: string) => markdown.slice(markdown.indexOf('## '));

export async function saveVersion(
  deps: PostmortemDeps,
  input: { incidentId: string; draft: Draft; by: string; channelId: string | null },
): Promise<SavedVersion> {
  const { draft } = input;
  return deps.db.$transaction(async (tx) => {
    const pm = await lockPostmortem(tx, input.incidentId);
    const latest = pm.latestVersion ? await findVersion(tx, pm.id, pm.latestVersion) : null;
    if (latest && latest.digest === draft.digest) {
      return {
        postmortemId: pm.id,
        version: latest.version,
        created: false,
        changes: null,
        channelId: latest.channelId,
        sharedAt: latest.sharedAt,
      };
    }
    const version = pm.latestVersion + 1;
    const changes = latest ? (describeChanges(bodyOf(latest.markdown), draft.body) ?? 'wording only.') : null;
    const generatedAt = deps.clock.now();
    const markdown = assemble(draftHeader(draft, { version, generatedAt, changes }), draft.body);
    await insertLatestVersion(tx, {
      postmortemId: pm.id,
      version,
      createdAt: generatedAt,
      createdBy: input.by,
      markdown,
      digest: draft.digest,
      changes,
      flagged: draft.findings.length,
      channelId: input.channelId,
    });
    return {
      postmortemId: pm.id,
      version,
      created: true,
      changes,
      channelId: input.channelId,
      sharedAt: null,
    };
  });
}
