// What PostgreSQL can keep of a parsed JSON body. Its text and jsonb types refuse U+0000, and
// jsonb refuses a \u escape of an unpaired UTF-16 surrogate, which JSON.parse accepts. Each
// would fail the write with a 5xx long after the request was judged valid; nesting thousands
// deep would overflow a recursive serialiser on the way in. So they are refused up front,
// naming where they are.

/** No sender of ours nests anywhere near this; PostgreSQL's own limit is far deeper. */
export const MAX_JSON_DEPTH = 64;

export type JsonPath = readonly (string | number)[];

export interface Unstorable {
  path: JsonPath;
  message: string;
}

// With `u`, a well-formed pair is one code point, so only an unpaired half matches.
const LONE_SURROGATE = /\p{Surrogate}/u;

function problemOf(text: string): string | null {
  if (text.includes('\u0000')) return 'a NUL character (\\u0000)';
  if (LONE_SURROGATE.test(text)) return 'an unpaired UTF-16 surrogate (such as \\ud800)';
  return null;
}

/** The first part of `value` that cannot be stored, or null. Iterative, so no depth overflows it. */
export function findUnstorable(value: unknown): Unstorable | null {
  const stack: { value: unknown; path: JsonPath }[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: v, path } = stack.pop() as { value: unknown; path: JsonPath };
    if (typeof v === 'string') {
      const problem = problemOf(v);
      if (problem) return { path, message: `contains ${problem}, which cannot be stored` };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (path.length >= MAX_JSON_DEPTH) return { path, message: `nests deeper than ${MAX_JSON_DEPTH} levels` };
    const entries: [string | number, unknown][] = Array.isArray(v)
      ? v.map((item, i) => [i, item])
      : Object.entries(v);
    // Pushed in reverse, so the first offending field in document order is the one named.
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i] as [string | number, unknown];
      if (typeof key === 'string') {
        const problem = problemOf(key);
        if (problem) return { path, message: `has a key that contains ${problem}, which cannot be stored` };
      }
      stack.push({ value: child, path: [...path, key] });
    }
  }
  return null;
}

/** `alerts.0.labels`: the dotted form alert intake names fields in; the root is `body`, a key "" is `""`. */
export function dottedPath(path: JsonPath): string {
  return path.length === 0 ? 'body' : path.map((p) => (p === '' ? '""' : String(p))).join('.');
}
