// Drafts are stored as numbered versions. One postmortem row per incident (its unique index)
// is locked while a version is added, so a double click or two replicas make one version;
// a draft whose body is the same as the latest version's is not stored again.
import { randomUUID } from 'node:crypto';
import type { Tx } from '../../jobs/effects.ts';
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

/** Creates the incident's postmortem row if needed and locks it for this transaction. */
export async function lockPostmortem(
  tx: Tx,
  incidentId: string,
): Promise<{ id: string; latestVersion: number }> {
  await tx.$executeRaw`
    INSERT INTO postmortem (id, incident_id) VALUES (${randomUUID()}::uuid, ${incidentId}::uuid)
    ON CONFLICT (incident_id) DO NOTHING`;
  const [row] = await tx.$queryRaw<{ id: string; latest_version: number }[]>`
    SELECT id::text, latest_version FROM postmortem WHERE incident_id = ${incidentId}::uuid FOR UPDATE`;
  if (!row) throw new Error(`postmortem of incident ${incidentId} vanished`);
  return { id: row.id, latestVersion: row.latest_version };
}

export async function saveVersion(
  deps: PostmortemDeps,
  input: { incidentId: string; draft: Draft; by: string; channelId: string | null },
): Promise<SavedVersion> {
  const { draft } = input;
  return deps.db.$transaction(async (tx) => {
    const pm = await lockPostmortem(tx, input.incidentId);
    const latest = pm.latestVersion
      ? await tx.postmortemVersion.findUnique({
          where: { postmortemId_version: { postmortemId: pm.id, version: pm.latestVersion } },
        })
      : null;
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
    await tx.postmortemVersion.create({
      data: {
        postmortemId: pm.id,
        version,
        createdAt: generatedAt,
        createdBy: input.by,
        markdown,
        digest: draft.digest,
        changes,
        flagged: draft.findings.length,
        channelId: input.channelId,
      },
    });
    await tx.postmortem.update({ where: { id: pm.id }, data: { latestVersion: version } });
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
