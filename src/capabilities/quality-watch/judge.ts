// The arithmetic of a watch, pure: the band (fixed, or median ± k·MAD), a window's value and
// whether it is out of band, the population stability index of two histograms, and the
// firing state machine ("out of band for `for` fires; back in band for `for` resolves").

/** lo/hi null = unbounded on that side. */
export interface Band {
  lo: number | null;
  hi: number | null;
}

export interface Learning {
  /** Whole days of history so far, and how many the baseline wants. */
  days: number;
  of: number;
}

/** A learned band's half-width never falls under this share of the median (a flat metric). */
const MIN_RELATIVE_WIDTH = 0.02;
/** An hour's tolerance: a 7-day baseline of hour rows starts on the hour, not to the minute. */
const ARM_TOLERANCE_DAYS = 1 / 24;
/** PSI's proportions are floored here, so a bucket empty on one side does not give infinity. */
const PSI_EPSILON = 1e-4;

export function learnedBand(median: number, mad: number, k: number, direction: 'up' | 'down' | 'both'): Band {
  const width = k * Math.max(mad, MIN_RELATIVE_WIDTH * Math.abs(median), 1e-9);
  return {
    lo: direction === 'up' ? null : median - width,
    hi: direction === 'down' ? null : median + width,
  };
}

/** Whether a baseline of `days` arms a watch that wants `baselineSeconds`; else how far it is. */
export function learning(days: number, baselineSeconds: number): Learning | null {
  const of = baselineSeconds / 86_400;
  return days >= of - ARM_TOLERANCE_DAYS ? null : { days: Math.max(0, Math.floor(days)), of };
}

export function outOfBand(value: number, band: Band): boolean {
  return (band.lo !== null && value < band.lo) || (band.hi !== null && value > band.hi);
}

export interface MinuteMean {
  minute: number;
  mean: number;
}

export interface Reading {
  value: number;
  out: boolean;
  /** When the run of minutes on the reading's side began (ms): "out of band since". */
  runStart: number;
}

/**
 * The window's value (mean of its minutes' means) against the band, and since when the latest
 * minutes have been on that side of it: a spike's streak starts at its first minute, not at the
 * first evaluation that noticed it. Null without data in the window.
 */
export function readBand(
  minutes: readonly MinuteMean[],
  band: Band,
  windowStart: number,
  end: number,
): Reading | null {
  const inWindow = minutes.filter((m) => m.minute >= windowStart && m.minute < end);
  if (!inWindow.length) return null;
  const value = inWindow.reduce((s, m) => s + m.mean, 0) / inWindow.length;
  const out = outOfBand(value, band);
  const sorted = [...minutes].filter((m) => m.minute < end).sort((a, b) => a.minute - b.minute);
  let runStart = end;
  for (let i = sorted.length - 1; i >= 0; i--) {
    const m = sorted[i] as MinuteMean;
    if (outOfBand(m.mean, band) !== out) break;
    runStart = m.minute;
  }
  return { value, out, runStart };
}

/** Population stability index: Σ (a − e) · ln(a / e) over the union of the buckets. */
export function psi(actual: Record<string, number>, expected: Record<string, number>): number | null {
  const total = (h: Record<string, number>) => Object.values(h).reduce((s, n) => s + n, 0);
  const ta = total(actual);
  const te = total(expected);
  if (ta <= 0 || te <= 0) return null;
  let sum = 0;
  for (const bound of new Set([...Object.keys(actual), ...Object.keys(expected)])) {
    const a = Math.max((actual[bound] ?? 0) / ta, PSI_EPSILON);
    const e = Math.max((expected[bound] ?? 0) / te, PSI_EPSILON);
    sum += (a - e) * Math.log(a / e);
  }
  return sum;
}

export interface StreakState {
  firing: boolean;
  outSince: number | null;
  inSince: number | null;
}

export type Step =
  | { change: 'none'; outSince: number | null; inSince: number | null }
  | { change: 'fire' | 'resolve'; outSince: number | null; inSince: number | null; lastedMs: number };

/** One evaluation's effect on a watch's streaks; `reading` null keeps everything (no data). */
export function step(
  state: StreakState,
  reading: Pick<Reading, 'out' | 'runStart'> | null,
  forMs: number,
  now: number,
): Step {
  if (!reading) return { change: 'none', outSince: state.outSince, inSince: state.inSince };
  if (!state.firing) {
    if (!reading.out) return { change: 'none', outSince: null, inSince: null };
    const outSince = state.outSince ?? Math.min(reading.runStart, now);
    if (now - outSince >= forMs) return { change: 'fire', outSince, inSince: null, lastedMs: now - outSince };
    return { change: 'none', outSince, inSince: null };
  }
  if (reading.out) return { change: 'none', outSince: state.outSince, inSince: null };
  const inSince = state.inSince ?? Math.min(reading.runStart, now);
  if (now - inSince >= forMs)
    return {
      change: 'resolve',
      outSince: null,
      inSince: null,
      lastedMs: inSince - (state.outSince ?? inSince),
    };
  return { change: 'none', outSince: state.outSince, inSince };
}
