// Server-side charts: a Vega-Lite spec compiled by Vega-Lite, rendered to SVG by Vega
// (renderer 'none': no canvas needed), rasterised to PNG by resvg (WebAssembly) with DejaVu Sans
// shipped from npm, so the text looks the same on every machine and no browser or native addon
// is involved. Shared by the error budget's weekly report and the quality watch's 24 h chart.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

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

export async function renderSpecSvg(spec: object): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const compiled = vegaLite.compile(spec as Parameters<typeof vegaLite.compile>[0]).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The spec's SVG as a PNG `width` pixels wide. */
export async function renderSpecPng(spec: object, width: number): Promise<Uint8Array> {
  const svg = await renderSpecSvg(spec);
  const { Resvg } = await loadResvg();
  fontReady ??= readFile(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'));
  const font = await fontReady;
  const image = new Resvg(svg, {
    font: { fontBuffers: [font], defaultFontFamily: 'DejaVu Sans', loadSystemFonts: false },
    fitTo: { mode: 'width', value: width },
  }).render();
  try {
    return image.asPng();
  } finally {
    image.free();
  }
}
