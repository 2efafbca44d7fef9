// The weekly report's chart: daily budget burn per feature as grouped bars, rendered on the
// server with no browser and no native addon. Vega-Lite compiles the spec, Vega renders it to
// SVG (renderer 'none': no canvas needed), resvg (WebAssembly) rasterises the SVG to PNG with
// DejaVu Sans shipped from npm, so the text looks the same on every machine.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

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

const require = createRequire(import.meta.url);
let resvgReady: Promise<typeof import('@resvg/resvg-wasm')> | undefined;
let fontReady: Promise<Buffer> | undefined;

/** The wasm module can be initialised once per process; later calls share the first. */
function loadResvg(): Promise<typeof import('@resvg/resvg-wasm')> {
  resvgReady ??= (async () => {
    const resvg = await import('@resvg/resvg-wasm');
    await resvg.initWasm(await readFile(require.resolve('@resvg/resvg-wasm/index_bg.wasm')));
    return resvg;
  })();
  return resvgReady;
}

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

export async function renderChartSvg(bars: ChartBar[], title: string): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const compiled = vegaLite.compile(chartSpec(bars, title) as Parameters<typeof vegaLite.compile>[0]).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export async function renderChartPng(bars: ChartBar[], title: string): Promise<Uint8Array> {
  const svg = await renderChartSvg(bars, title);
  const { Resvg } = await loadResvg();
  fontReady ??= readFile(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'));
  const font = await fontReady;
  const image = new Resvg(svg, {
    font: { fontBuffers: [font], defaultFontFamily: 'DejaVu Sans', loadSystemFonts: false },
    fitTo: { mode: 'width', value: CHART_WIDTH * PNG_SCALE },
  }).render();
  try {
    return image.asPng();
  } finally {
    image.free();
  }
}
