// A watch that fires takes the road a monitoring alert takes when it pages (notify: page): one
// alert (source 'quality-watch', one fingerprint per feature and metric) through
// store/ingest.ts, so it opens or joins the feature's one incident, pages once and names the
// person; recovering sends 'resolved' the same way. notify: notice posts a line in the alerts
// channel instead. Either way the incident's timeline gets the numbers and the replay links.
import type { Feature } from '../../config/catalog.ts';
import { escapeMrkdwn, safeHttpUrl, slackLink } from '../../kernel/slack-text.ts';
import { recordEntry } from '../../kernel/timeline.ts';
import { findOpenIncident } from '../../store/incidents.ts';
import { type IngestAlert, storeAlerts } from '../../store/ingest.ts';
import { setWatchIncident } from '../../store/watches.ts';
import { requestRefresh } from '../paging/index.ts';
import type { WatchDeps } from './deps.ts';
import { type Verdict, verdictSummary } from './messages.ts';

export const WATCH_SOURCE = 'quality-watch';

export function watchFingerprint(featureKey: string, metric: string): string {
  return `${WATCH_SOURCE}:${featureKey}:${metric}`;
}

function watchAlert(deps: WatchDeps, v: Verdict, firing: boolean, summary: string, now: Date): IngestAlert {
  const label = deps.catalog.catalog.defaults.featureLabel;
  const annotations: Record<string, string> = { value: String(v.value) };
  v.links.forEach((l, i) => {
    annotations[`replay_${i + 1}`] = l.url;
    annotations[`replay_${i + 1}_label`] = l.label;
  });
  return {
    source: WATCH_SOURCE,
    fingerprint: watchFingerprint(v.featureKey, v.watch.metric),
    status: firing ? 'firing' : 'resolved',
    severity: 'error',
    summary,
    description: null,
    labels: { [label]: v.featureKey, watch_metric: v.watch.metric, watch_kind: v.watch.kind },
    annotations,
    startsAt: now,
    endsAt: firing ? null : now,
    // The incident's source link (paging shows it): the first replay link, when it is a safe one.
    generatorUrl: safeHttpUrl(v.links[0]?.url) ?? null,
  };
}

/** Mrkdwn for a notice: the line escaped, each replay link through slackLink. */
export function noticeText(summary: string, v: Verdict, firing: boolean): string {
  const links = v.links.map((l) => slackLink(l.url, l.label)).join(' · ');
  const emoji = firing ? ':mag:' : ':white_check_mark:';
  return `${emoji} Quality watch: ${escapeMrkdwn(summary)}${links ? `\nReplay: ${links}` : ''}`;
}

export async function actOnWatch(
  deps: WatchDeps,
  feature: Feature,
  v: Verdict,
  firing: boolean,
  now: Date,
  incidentOfFire: string | null,
): Promise<void> {
  const summary = verdictSummary(v, firing);
  let incidentId: string | null = null;
  if (v.watch.notify === 'page') {
    const alert = watchAlert(deps, v, firing, summary, now);
    const result = await storeAlerts(
      deps.db,
      {
        kind: WATCH_SOURCE,
        requestId: `${alert.fingerprint}:${alert.status}:${now.toISOString()}`,
        body: {
          metric: v.watch.metric,
          value: v.value,
          band: v.band,
          links: v.links,
          summary,
          status: alert.status,
        },
        alerts: [alert],
      },
      () => ({ featureKey: feature.key, autoResolve: feature.autoResolve }),
    );
    for (const id of result.opened)
      await deps.queue.enqueue('page', id, { incidentId: id }, { inline: true });
    for (const id of result.touched) await requestRefresh(deps, id);
    incidentId = result.outcomes[0]?.incidentId ?? incidentOfFire;
  } else {
    await deps.queue.enqueue(
      'watch-notice',
      `watch-notice:${v.featureKey}:${v.watch.metric}:${firing ? 'fired' : 'recovered'}:${now.toISOString()}`,
      { channel: feature.slack.alertsChannel, text: noticeText(summary, v, firing) },
      { inline: true },
    );
    incidentId = incidentOfFire ?? (await findOpenIncident(deps.db, feature.key))?.id ?? null;
  }
  if (firing) await setWatchIncident(deps.db, v.featureKey, v.watch.metric, incidentId);
  if (!incidentId) return;
  const kind = firing ? 'watch.fired' : 'watch.recovered';
  await recordEntry(deps.db, {
    incidentId,
    at: now,
    kind,
    actor: WATCH_SOURCE,
    text: summary,
    data: {
      metric: v.watch.metric,
      watch: v.watch.kind,
      value: v.value,
      band: v.band,
      basis: v.basis,
      lastedMs: v.lastedMs,
      links: v.links,
    },
    dedupKey: `${kind}:${v.featureKey}:${v.watch.metric}:${now.toISOString()}`,
  });
}
