// Quality watches in the catalog: the resolved shapes, how a feature's `watch` block inherits
// from `defaults.watch`, and the rules zod cannot say field by field (a watch is a band or a
// drift, never both; k belongs to a learned band, threshold to drift).
import type { CatalogFile, FeatureFile } from './catalog-schema.ts';

export type WatchNotify = 'page' | 'notice';
export type WatchDirection = 'up' | 'down' | 'both';

interface WatchBase {
  metric: string;
  /** How messages name it: "hand-off rate". */
  label: string;
  /** "ratio" shows 0.31 as 31%; other text follows the number. */
  unit: string | null;
  forSeconds: number;
  notify: WatchNotify;
  /** The span of minutes whose mean is judged (bands) or whose histogram is compared (drift). */
  windowSeconds: number;
}

export type Watch =
  | (WatchBase & { kind: 'fixed'; min: number | null; max: number | null })
  | (WatchBase & { kind: 'learned'; k: number; direction: WatchDirection; baselineSeconds: number })
  | (WatchBase & { kind: 'drift'; threshold: number; baselineSeconds: number });

export interface WatchDefaults {
  evaluateEverySeconds: number;
  baselineSeconds: number;
  k: number;
  threshold: number;
}

/** A band judges the latest complete minute by default; drift compares the last hour. */
export const DEFAULT_BAND_WINDOW_S = 60;
export const DEFAULT_DRIFT_WINDOW_S = 3_600;

export function resolveWatchDefaults(file: CatalogFile['defaults']['watch']): WatchDefaults {
  return {
    evaluateEverySeconds: file.evaluate_every,
    baselineSeconds: file.baseline,
    k: file.k,
    threshold: file.threshold,
  };
}

type WatchFile = NonNullable<FeatureFile['watch']>[string];

function resolveWatch(metric: string, w: WatchFile, defaults: WatchDefaults): Watch {
  const base: WatchBase = {
    metric,
    label: w.label ?? metric.replace(/_/g, ' '),
    unit: w.unit ?? null,
    forSeconds: w.for,
    notify: w.notify,
    windowSeconds: w.window ?? (w.drift ? DEFAULT_DRIFT_WINDOW_S : DEFAULT_BAND_WINDOW_S),
  };
  const baselineSeconds = w.baseline ?? defaults.baselineSeconds;
  if (w.drift)
    return { ...base, kind: 'drift', threshold: w.threshold ?? defaults.threshold, baselineSeconds };
  if (w.band === 'learned')
    return {
      ...base,
      kind: 'learned',
      k: w.k ?? defaults.k,
      direction: w.direction ?? 'both',
      baselineSeconds,
    };
  const band = w.band ?? {};
  return { ...base, kind: 'fixed', min: band.min ?? null, max: band.max ?? null };
}

export function resolveWatches(block: FeatureFile['watch'], defaults: WatchDefaults): Watch[] {
  if (!block) return [];
  return Object.entries(block).map(([metric, w]) => resolveWatch(metric, w, defaults));
}

/** Each watch is exactly one of band and drift, with only the settings its kind reads. */
export function checkWatches(
  data: CatalogFile,
  fail: (path: readonly PropertyKey[], message: string) => never,
): void {
  data.features.forEach((feature, i) => {
    for (const [metric, w] of Object.entries(feature.watch ?? {})) {
      const at = (field?: string) => ['features', i, 'watch', metric, ...(field ? [field] : [])];
      if (w.band === undefined && w.drift === undefined)
        fail(at(), 'expected band (learned, or min and max) or drift: psi');
      if (w.band !== undefined && w.drift !== undefined)
        fail(at('drift'), 'expected either band or drift, not both: make two metrics');
      const learned = w.band === 'learned';
      if (!learned && w.k !== undefined) fail(at('k'), 'k only applies to band: learned');
      if (!learned && w.direction !== undefined)
        fail(at('direction'), 'direction only applies to band: learned (a fixed band has min and max)');
      if (!w.drift && w.threshold !== undefined)
        fail(at('threshold'), 'threshold only applies to drift: psi');
      if (!learned && !w.drift && w.baseline !== undefined)
        fail(at('baseline'), 'baseline only applies to band: learned and drift: psi');
      const baseline = w.baseline ?? data.defaults.watch.baseline;
      if ((learned || w.drift) && w.window !== undefined && w.window * 2 > baseline)
        fail(at('window'), 'expected a window at most half the baseline');
    }
  });
}
