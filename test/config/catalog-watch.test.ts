// The catalog's `watch` block: defaults filled in, each kind resolved, and every mistake
// reported with the file, the path and what was expected.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { parseCatalog } from '../../src/config/catalog.ts';

const EXAMPLE = readFileSync(new URL('../../failsafe.example.yml', import.meta.url).pathname, 'utf8');
const withWatch = (watch: unknown, defaults?: unknown) => {
  const tree = parse(EXAMPLE);
  tree.features[0].watch = watch;
  if (defaults) tree.defaults.watch = defaults;
  return stringify(tree);
};

describe('the watch block', () => {
  it('resolves the issue example with the defaults', () => {
    const catalog = parseCatalog(
      withWatch({
        handoff_rate: { band: 'learned', for: '10m', notify: 'page' },
        conversation_turns: { band: { max: 12 }, for: '15m', notify: 'notice' },
        confidence: { drift: 'psi', threshold: 0.2, window: '1h', baseline: '7d', notify: 'notice' },
        embedding_similarity: { band: { min: 0.85 }, for: '30m' },
      }),
      'failsafe.yml',
    );
    expect(catalog.defaults.watch).toEqual({
      evaluateEverySeconds: 60,
      baselineSeconds: 604_800,
      k: 4,
      threshold: 0.2,
    });
    expect(catalog.features[0]?.watches).toEqual([
      {
        metric: 'handoff_rate',
        label: 'handoff rate',
        unit: null,
        forSeconds: 600,
        notify: 'page',
        windowSeconds: 60,
        kind: 'learned',
        k: 4,
        direction: 'both',
        baselineSeconds: 604_800,
      },
      {
        metric: 'conversation_turns',
        label: 'conversation turns',
        unit: null,
        forSeconds: 900,
        notify: 'notice',
        windowSeconds: 60,
        kind: 'fixed',
        min: null,
        max: 12,
      },
      {
        metric: 'confidence',
        label: 'confidence',
        unit: null,
        forSeconds: 600,
        notify: 'notice',
        windowSeconds: 3600,
        kind: 'drift',
        threshold: 0.2,
        baselineSeconds: 604_800,
      },
      {
        metric: 'embedding_similarity',
        label: 'embedding similarity',
        unit: null,
        forSeconds: 1800,
        notify: 'page',
        windowSeconds: 60,
        kind: 'fixed',
        min: 0.85,
        max: null,
      },
    ]);
    expect(catalog.features[1]?.watches).toEqual([]);
  });

  it.each([
    [{ x: { for: '5m' } }, 'features[0].watch.x: expected band (learned, or min and max) or drift: psi'],
    [
      { x: { band: 'learned', drift: 'psi' } },
      'features[0].watch.x.drift: expected either band or drift, not both',
    ],
    [{ x: { band: { max: 1 }, k: 3 } }, 'features[0].watch.x.k: k only applies to band: learned'],
    [
      { x: { drift: 'psi', direction: 'up' } },
      'features[0].watch.x.direction: direction only applies to band: learned',
    ],
    [
      { x: { band: 'learned', threshold: 0.1 } },
      'features[0].watch.x.threshold: threshold only applies to drift: psi',
    ],
    [{ x: { band: { max: 1 }, baseline: '7d' } }, 'features[0].watch.x.baseline: baseline only applies to'],
    [
      { x: { band: 'learned', window: '5d' } },
      'features[0].watch.x.window: expected a window at most half the baseline',
    ],
    [{ x: { band: { min: 3, max: 1 } } }, 'features[0].watch.x.band: expected min to be below max'],
    [{ x: { band: {} } }, 'features[0].watch.x.band: expected min, max or both'],
    [{ x: { band: 'guess' } }, 'features[0].watch.x.band: expected learned or a mapping of min and max'],
    [{ x: { drift: 'ks' } }, 'features[0].watch.x.drift: expected psi'],
    [{ x: { band: 'learned', k: -1 } }, 'features[0].watch.x.k: expected a positive number like 4'],
    [
      { x: { band: 'learned', direction: 'sideways' } },
      'features[0].watch.x.direction: expected up, down or both',
    ],
    [
      { x: { band: 'learned', baseline: '60d' } },
      'features[0].watch.x.baseline: expected a baseline of 1d to 28d',
    ],
    [
      { x: { band: 'learned', for: '10 minutes' } },
      'features[0].watch.x.for: expected a duration in minutes, hours or days',
    ],
    [{ x: { band: 'learned', notify: 'email' } }, 'features[0].watch.x.notify: expected page or notice'],
    [{ x: { band: 'learned', windw: '5m' } }, 'features[0].watch.x.windw: unknown field'],
    [
      { 'Hand Off': { band: 'learned' } },
      'features[0].watch.Hand Off: expected a mapping of metric names to watches, got "Hand Off"',
    ],
    [['handoff_rate'], 'features[0].watch: expected a mapping of metric names to watches'],
  ])('refuses %j naming the path', (watch, message) => {
    expect(() => parseCatalog(withWatch(watch), 'failsafe.yml')).toThrow(`failsafe.yml: ${message}`);
  });

  it('refuses bad defaults', () => {
    expect(() => parseCatalog(withWatch(undefined, { k: 0 }), 'failsafe.yml')).toThrow(
      'failsafe.yml: defaults.watch.k: expected a positive number like 4',
    );
  });
});
