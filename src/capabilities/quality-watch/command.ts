// `/ai-watch [feature]` and `/ai-watch <feature> chart`: each watched metric's value against
// its band (or its drift score against the threshold), "learning (2 of 7 days)" where a watch
// is not armed yet, whether it fires, and the last 24 hours as a sparkline; `chart` shares a
// 24 h PNG with the band shaded in the channel the command was typed in.
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { Feature } from '../../config/catalog.ts';
import { escapeMrkdwn } from '../../kernel/slack-text.ts';
import { hourlyMeans } from '../../store/measurements.ts';
import { watchStates } from '../../store/watches.ts';
import { shareWatchChart } from './chart-share.ts';
import type { WatchDeps } from './deps.ts';
import { bandText, formatValue, learningText, minutesText, sparkline } from './messages.ts';
import { readWatches, type WatchStatus, watchedFeatures } from './read.ts';

export const USAGE =
  '`/ai-watch [feature]` shows each quality watch against its band; `/ai-watch <feature> chart` ' +
  'posts the last 24 hours as a chart.';

export type WatchCommand =
  | { kind: 'show'; featureKey: string | null }
  | { kind: 'chart'; featureKey: string }
  | { kind: 'help'; message: string };

export function parseWatchCommand(text: string): WatchCommand {
  const [first, second, ...rest] = text.trim().split(/\s+/).filter(Boolean);
  if (!first) return { kind: 'show', featureKey: null };
  if (first === 'help') return { kind: 'help', message: USAGE };
  if (!second) return { kind: 'show', featureKey: first };
  if (second === 'chart' && rest.length === 0) return { kind: 'chart', featureKey: first };
  return {
    kind: 'help',
    message: `\`/ai-watch\` takes a feature, optionally followed by \`chart\`.\n${USAGE}`,
  };
}

function stateText(s: WatchStatus, firing: { since: Date | null } | undefined, now: Date): string {
  if (s.learning) return learningText(s.learning);
  if (firing)
    return `:rotating_light: firing${firing.since ? ` for ${minutesText(now.getTime() - firing.since.getTime())}` : ''}`;
  if (s.note) return escapeMrkdwn(s.note);
  return 'ok';
}

function metricLine(
  s: WatchStatus,
  firing: { since: Date | null } | undefined,
  spark: string,
  now: Date,
): string {
  const { watch } = s;
  const name = escapeMrkdwn(watch.label);
  let reading: string;
  if (watch.kind === 'drift')
    reading = `PSI ${s.value === null ? '–' : s.value.toFixed(2)} (threshold ${watch.threshold})`;
  else {
    const value = s.value === null ? 'no data' : escapeMrkdwn(formatValue(s.value, watch));
    const band = s.band
      ? ` (normal ${escapeMrkdwn(bandText(s.band, watch))}${s.basis ? ` ${escapeMrkdwn(s.basis)}` : ''})`
      : '';
    reading = `${value}${band}`;
  }
  const line = spark.trim() ? ` · 24 h \`${spark}\`` : '';
  return `• ${name}: ${reading} · ${stateText(s, firing, now)}${line}`;
}

async function describe(deps: WatchDeps, features: Feature[]): Promise<string> {
  const now = deps.clock.now();
  const statuses = await readWatches(deps, features, now);
  const firing = new Map(
    (
      await watchStates(
        deps.db,
        features.map((f) => f.key),
      )
    )
      .filter((s) => s.firing)
      .map((s) => [`${s.featureKey}\0${s.metric}`, { since: s.since }]),
  );
  const hour = Math.floor(now.getTime() / 3_600_000) * 3_600_000;
  const lines: string[] = [];
  for (const feature of features) {
    lines.push(`*${escapeMrkdwn(feature.key)}*`);
    const means = await hourlyMeans(
      deps.db,
      feature.key,
      new Date(hour - 23 * 3_600_000),
      new Date(hour + 3_600_000),
    );
    for (const s of statuses.filter((x) => x.feature.key === feature.key)) {
      const mine = means.filter((m) => m.metric === s.watch.metric);
      const values = Array.from({ length: 24 }, (_, i) => {
        const at = hour - (23 - i) * 3_600_000;
        return mine.find((m) => m.hour.getTime() === at)?.mean ?? null;
      });
      lines.push(metricLine(s, firing.get(`${feature.key}\0${s.watch.metric}`), sparkline(values), now));
    }
  }
  return lines.join('\n');
}

export async function watchReply(
  deps: WatchDeps,
  cmd: WatchCommand,
  where: { channelId: string },
): Promise<string> {
  if (cmd.kind === 'help') return cmd.message;
  const all = watchedFeatures(deps);
  const known = all.map((f) => `\`${f.key}\``).join(', ') || 'none (no feature has a `watch` block)';
  if (!cmd.featureKey) return all.length ? describe(deps, all) : `No feature has quality watches. ${USAGE}`;
  const feature = deps.catalog.featureByKey(cmd.featureKey);
  if (!feature?.watches.length) {
    const what = feature
      ? `\`${feature.key}\` has no \`watch\` in the catalog`
      : `Unknown feature \`${escapeMrkdwn(cmd.featureKey)}\``;
    return `${what}. Features with quality watches: ${known}. ${USAGE}`;
  }
  if (cmd.kind === 'chart') return shareWatchChart(deps, feature, where.channelId);
  return describe(deps, [feature]);
}

export async function onWatchCommand(
  deps: WatchDeps,
  { ack, command, respond }: SlackCommandMiddlewareArgs & AllMiddlewareArgs,
): Promise<void> {
  await ack();
  // A failure here reaches the app's error handler, which tells the user plainly.
  const text = await watchReply(deps, parseWatchCommand(command.text), { channelId: command.channel_id });
  await respond({ response_type: 'ephemeral', text });
}
