// `/ai-watch <feature> chart`: the last 24 hours of each watched metric (minute means) as a line,
// with the band shaded where there is one, rendered on the server (kernel/chart-render.ts) and
// shared in the channel the command came from. Drift watches show the metric's mean only: their
// band is on the PSI, which a minute line cannot show.
import type { Feature } from '../../config/catalog.ts';
import { renderSpecPng } from '../../kernel/chart-render.ts';
import { whatFailed } from '../../kernel/errors.ts';
import { minutePoints } from '../../store/measurements.ts';
import type { WatchDeps } from './deps.ts';
import { bandText } from './messages.ts';
import { readWatches } from './read.ts';

const WIDTH = 800;
const PANEL_HEIGHT = 160;

export interface ChartPanel {
  metric: string;
  title: string;
  points: { at: string; value: number }[];
  band: { lo: number; hi: number } | null;
}

export function watchChartSpec(panels: ChartPanel[], title: string) {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    background: 'white',
    config: { font: 'DejaVu Sans' },
    vconcat: panels.map((p) => ({
      width: WIDTH,
      height: PANEL_HEIGHT,
      title: p.title,
      layer: [
        ...(p.band
          ? [
              {
                data: { values: [p.band] },
                mark: { type: 'rect', color: '#2ca02c', opacity: 0.15 },
                encoding: { y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } },
              },
            ]
          : []),
        {
          data: { values: p.points },
          mark: { type: 'line', color: '#1f77b4' },
          encoding: {
            x: { field: 'at', type: 'temporal', title: null },
            y: { field: 'value', type: 'quantitative', title: null, scale: { zero: false } },
          },
        },
      ],
    })),
  };
}

export async function watchChartPanels(deps: WatchDeps, feature: Feature, now: Date): Promise<ChartPanel[]> {
  const statuses = await readWatches(deps, [feature], now);
  const points = await minutePoints(
    deps.db,
    feature.watches.map((w) => ({ featureKey: feature.key, metric: w.metric })),
    new Date(now.getTime() - 86_400_000),
    now,
  );
  return statuses.map((s) => {
    const band =
      s.watch.kind !== 'drift' && s.band
        ? {
            lo: s.band.lo ?? Math.min(...points.map((p) => p.mean)),
            hi: s.band.hi ?? Math.max(...points.map((p) => p.mean)),
          }
        : null;
    const normal = s.band && s.watch.kind !== 'drift' ? ` (normal ${bandText(s.band, s.watch)})` : '';
    return {
      metric: s.watch.metric,
      title: `${s.watch.label}${s.learning ? ' (learning)' : normal}`,
      points: points
        .filter((p) => p.metric === s.watch.metric)
        .map((p) => ({ at: p.minute.toISOString(), value: p.mean })),
      band,
    };
  });
}

/** Shares the chart and returns the reply for the person who asked. */
export async function shareWatchChart(deps: WatchDeps, feature: Feature, channelId: string): Promise<string> {
  const now = deps.clock.now();
  const panels = await watchChartPanels(deps, feature, now);
  const title = `${feature.key}: quality watches, last 24 hours`;
  try {
    const png = await renderSpecPng(watchChartSpec(panels, title), WIDTH * 2);
    await deps.slack.shareFile({
      channelId,
      filename: `${feature.key}-watches.png`,
      title,
      content: png,
      comment: `Quality watches of \`${feature.key}\`, last 24 hours (band shaded).`,
      altText: `Line charts of ${panels.map((p) => p.title).join(', ')} over the last 24 hours`,
    });
    return `Chart of \`${feature.key}\` posted in this channel.`;
  } catch (error) {
    deps.logger.warn({ err: error, feature: feature.key }, 'watch chart not shared');
    return `The chart could not be posted: ${whatFailed(error)}. \`/ai-watch ${feature.key}\` shows the numbers.`;
  }
}
