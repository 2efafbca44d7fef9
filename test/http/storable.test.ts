// findUnstorable against an oracle: PostgreSQL's jsonb rejects exactly the text JSON.stringify
// writes as \u0000 or as a lone \ud8xx-\udfxx escape, and nesting is counted the plain way.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findUnstorable, MAX_JSON_DEPTH } from '../../src/http/storable.ts';
import { nested } from '../support/fuzz.ts';

const char = fc.oneof(
  fc.constantFrom('\u0000', '\ud800', '\udfff', '\ud83d\ude00', 'a', 'é'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
);
const json = fc.jsonValue({ maxDepth: 5, stringUnit: char });

function depthOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  const children = Object.values(value as object);
  return 1 + Math.max(0, ...children.map(depthOf));
}

describe('findUnstorable', () => {
  it('finds a problem exactly when the text has NUL or a lone surrogate', () => {
    fc.assert(
      fc.property(json, (value) => {
        // JSON.stringify escapes a lone surrogate and NUL, and leaves a valid pair as is.
        const bad = /\\u0000|\\ud[89a-f][0-9a-f]{2}/i.test(JSON.stringify(value));
        expect(findUnstorable(value) !== null).toBe(bad);
      }),
      { numRuns: 500 },
    );
  });

  it('names the path to the first bad string, keys included', () => {
    expect(findUnstorable({ a: [1, { b: 'x\u0000' }], c: '\ud800' })?.path).toEqual(['a', 1, 'b']);
    expect(findUnstorable({ a: { 'k\ud800': 1 } })).toMatchObject({ path: ['a'] });
  });

  it(`refuses nesting past ${MAX_JSON_DEPTH} levels, iteratively (a million levels do not overflow)`, () => {
    expect(findUnstorable(nested(MAX_JSON_DEPTH, 'array'))).toBeNull();
    expect(findUnstorable(nested(MAX_JSON_DEPTH + 1, 'array'))?.message).toMatch(/deeper than 64/);
    expect(depthOf(nested(MAX_JSON_DEPTH + 1, 'object'))).toBe(MAX_JSON_DEPTH + 1);
    expect(findUnstorable(nested(1_000_000, 'object'))?.path).toHaveLength(MAX_JSON_DEPTH);
  });
});
