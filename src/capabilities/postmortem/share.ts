// Shares a stored version in Slack as a Markdown file with a short summary as its message:
// a queue job keyed by postmortem and version, tried inline first, performed once (two
// replicas or a retry after a crash do not upload it twice), retried with back-off when
// Slack is down. If it cannot be uploaded at all, the channel still gets the download link.

import { performOnce } from '../../jobs/effects.ts';
import type { JobData } from '../../jobs/map.ts';
import type { JobDefinition } from '../../jobs/types.ts';
import { whatFailed } from '../../kernel/errors.ts';
import { escapeMrkdwn } from '../../kernel/slack-text.ts';
import { recordEntry } from '../../kernel/timeline.ts';
import { findIncident } from '../../store/incidents.ts';
import { findVersion, findVersionWithIncident, markVersionShared } from '../../store/postmortems.ts';
import type { PostmortemDeps } from './deps.ts';
import type { Draft } from './draft.ts';
import { downloadUrl, fileName } from './link.ts';
import { duration } from './times.ts';

export type ShareJob = JobData<'postmortem-share'>;

export function shareJobs(deps: PostmortemDeps): JobDefinition[] {
  return [
    {
      name: 'postmortem-share',
      maxAttempts: 10,
      backoff: { baseDelayMs: 2_000, maxDelayMs: 120_000 },
      handler: (job) => shareVersion(deps, job),
      onGiveUp: (job, error) => tellUploadFailed(deps, job, error),
    },
  ];
}

export async function shareVersion(deps: PostmortemDeps, job: ShareJob): Promise<void> {
  const row = await findVersionWithIncident(deps.db, job.postmortemId, job.version);
  if (!row?.channelId || row.sharedAt) return;
  const incident = await findIncident(deps.db, row.postmortem.incidentId);
  if (!incident) return;
  const channelId = row.channelId;
  await performOnce(deps, `postmortem-share:${job.postmortemId}:${job.version}`, {
    claimMs: 60_000,
    perform: async () =>
      deps.slack.shareFile({
        channelId,
        filename: fileName(incident.number, job.version),
        title: `Postmortem draft — incident #${incident.number} (v${job.version})`,
        content: row.markdown,
        comment: job.comment,
        snippetType: 'markdown',
      }),
    record: async (tx, result) => {
      const now = deps.clock.now();
      await markVersionShared(tx, job.postmortemId, job.version, { fileId: result.fileId, at: now });
      await recordEntry(tx, {
        incidentId: incident.id,
        at: now,
        kind: 'postmortem.shared',
        actor: 'Failsafe',
        text: `Postmortem draft v${job.version} shared`,
        data: { version: job.version, fileId: result.fileId },
        dedupKey: `postmortem-shared:${job.postmortemId}:${job.version}`,
      });
    },
  });
}

async function tellUploadFailed(deps: PostmortemDeps, job: ShareJob, error: unknown): Promise<void> {
  deps.logger.error(
    { err: error, postmortemId: job.postmortemId, version: job.version },
    'postmortem upload gave up',
  );
  const row = await findVersion(deps.db, job.postmortemId, job.version);
  if (!row?.channelId) return;
  const link = downloadUrl(deps, job.postmortemId, job.version);
  const text = `:warning: Could not upload postmortem draft v${job.version} to Slack (${escapeMrkdwn(whatFailed(error))}).${link ? ` Download it here instead: <${link}|draft v${job.version}>.` : ''}`;
  await deps.slack
    .postMessage({
      channel: row.channelId,
      text,
      effectKey: `postmortem-upload-failed:${job.postmortemId}:${job.version}`,
    })
    .catch(() => undefined);
}

/** The message that goes with the file: the numbers, what changed, what to do next. No names. */
export function shareComment(
  draft: Pick<Draft, 'metrics' | 'alerts' | 'findings' | 'slackTitle'>,
  saved: { version: number; changes: string | null },
  incidentNumber: number,
  link: string | null,
): string {
  const m = draft.metrics;
  const figure = (label: string, ms: number | null) => (ms === null ? null : `${label} ${duration(ms)}`);
  const figures = [
    figure('Detect', m.timeToDetectMs),
    figure('Acknowledge', m.timeToAcknowledgeMs),
    figure('Mitigate', m.timeToMitigateMs),
    figure('Resolve', m.timeToResolveMs),
    `${draft.alerts} alert${draft.alerts === 1 ? '' : 's'}`,
  ].filter(Boolean);
  const lines = [
    `:memo: *Postmortem draft v${saved.version}* for ${draft.slackTitle.replace(/^Incident #\d+/, `incident #${incidentNumber}`)}`,
    figures.join(' · '),
  ];
  if (saved.changes) lines.push(`Changed since v${saved.version - 1}: ${saved.changes}`);
  if (draft.findings.length)
    lines.push(
      `:warning: Language check: ${draft.findings.length} sentence${draft.findings.length === 1 ? '' : 's'} read as blame — see the draft's Language check section.`,
    );
  const download = link ? `Download: <${link}|${fileName(incidentNumber, saved.version)}> · ` : '';
  lines.push(`${download}Fill in the _italic_ parts, review it together, then \`/ai-postmortem reviewed\`.`);
  return lines.join('\n');
}
