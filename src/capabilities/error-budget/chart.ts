// The weekly report's chart: daily budget burn per feature as grouped bars, rendered on the
// server by kernel/chart-render.ts (Vega-Lite → SVG → resvg PNG, no browser, no native addon).
import { renderSpecPng, renderSpecSvg } from '../../kernel/chart-render.ts';

export interface ChartBar {
  /** The day's label on the x axis, e.g. "Mon 16". */
  day: string;
  feature: string;
  /** Percent of the period's budget burned that day. */
  burnedPercent: number;
}

/** The SVG's size in CSS pixels; the PNG is twice that, for sharp text on high-density screens. */
export const CHART_WIDTH = 800;
export const CHART_HEIGHT = 360;
export const PNG_SCALE = 2;

export function chartSpec(bars: ChartBar[], title: string) {
  const days = [...new Set(bars.map((b) => b.day))];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    // Fit the whole picture (axes and legend included) in width × height, so the PNG size is known.
    autosize: { type: 'fit', contains: 'padding' },
    background: 'white',
    config: { font: 'DejaVu Sans' },
    data: { values: bars },
    mark: { type: 'bar', tooltip: false },
    encoding: {
      x: { field: 'day', type: 'ordinal', sort: days, title: null, axis: { labelAngle: 0 } },
      xOffset: { field: 'feature' },
      y: { field: 'burnedPercent', type: 'quantitative', title: '% of budget burned that day' },
      color: { field: 'feature', type: 'nominal', title: 'Feature' },
    },
  };
}

export function renderChartSvg(bars: ChartBar[], title: string): Promise<string> {
  return renderSpecSvg(chartSpec(bars, title));
}

export function renderChartPng(bars: ChartBar[], title: string): Promise<Uint8Array> {
  return renderSpecPng(chartSpec(bars, title), CHART_WIDTH * PNG_SCALE);
}
