// Shared fast-check arbitraries for the HTTP fuzz tests (test/fuzz/): hostile strings, JSON of
// any shape, valid payloads with one part broken, and raw bodies that are not what they claim
// (duplicate keys, invalid UTF-8, deep nesting). Plus the one property every handler keeps.
import fc from 'fast-check';
import { afterAll, expect } from 'vitest';
import { createLogger } from '../../src/observability/logger.ts';
import type { TestDatabase } from './database.ts';
import { type RunningApp, type RunningAppOptions, useRunningApp } from './harness.ts';

/** What PostgreSQL's text and jsonb refuse, and what JSON allows but UTF-8 cannot hold. */
export const UNSTORABLE = ['\u0000', '\ud800', '\udfff', 'a\u0000b', 'x\ud83d', '\udc00y'] as const;

/** Deeper than the app accepts (MAX_JSON_DEPTH is 64), and far deeper. */
export const DEEP_LEVELS = [65, 200, 5_000, 100_000] as const;

const oddChar = fc.oneof(
  fc.constantFrom('\u0000', '\ud800', '\udfff', '\u202e', '\ufeff', '\\', '"', '%', '\n', '\u2028'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
);

/** Any string a client could send: empty, unicode, control characters, lone surrogates, huge. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: oddChar, maxLength: 40 }) },
  { weight: 2, arbitrary: fc.constantFrom(...UNSTORABLE) },
  fc.constantFrom('', ' ', '\\u0000', "'; DROP TABLE alert; --", '<script>alert(1)</script>', '%00', 'null'),
  // A single string far longer than any field should be (the body stays under 1 MiB).
  fc.integer({ min: 10_000, max: 300_000 }).map((n) => 'x'.repeat(n)),
);

/** Nests `leaf` `depth` levels deep, in arrays or objects. */
export function nested(depth: number, kind: 'array' | 'object', leaf: unknown = 1): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = kind === 'array' ? [value] : { a: value };
  return value;
}

export const deepValue: fc.Arbitrary<unknown> = fc
  .tuple(fc.constantFrom(...DEEP_LEVELS), fc.constantFrom('array' as const, 'object' as const))
  // JSON.stringify recurses: past a few thousand levels the value is sent as text instead.
  .map(([depth, kind]) => (depth > 1_000 ? deepText(depth, kind) : nested(depth, kind)));

/** The raw text of a value nested `depth` levels, for depths JSON.stringify cannot reach. */
export class RawJson {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}

export function deepText(depth: number, kind: 'array' | 'object'): RawJson {
  return kind === 'array'
    ? new RawJson(`${'['.repeat(depth)}1${']'.repeat(depth)}`)
    : new RawJson(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
}

/** Any JSON value: wrong types, hostile strings, deep nesting. */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 4, stringUnit: oddChar }) },
  { weight: 2, arbitrary: hostileString },
  fc.constantFrom(null, true, false, 0, -1, 1e308, -0, 2 ** 53 + 1, [], {}),
  { weight: 1, arbitrary: deepValue },
);

type Path = (string | number)[];

/** Every path inside a JSON value, the root excluded. */
export function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return entries.flatMap(([key, child]) => [[...prefix, key], ...pathsOf(child, [...prefix, key])]);
}

function setAt(value: unknown, path: Path, replacement: unknown, remove: boolean): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path as [string | number, ...Path];
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string, unknown>;
  if (rest.length === 0 && remove) {
    if (Array.isArray(copy)) copy.splice(head as number, 1);
    else delete copy[head];
  } else copy[head] = setAt(copy[head], rest, replacement, remove);
  return copy;
}

export type Mutation =
  | { kind: 'replace'; path: Path; value: unknown }
  | { kind: 'remove'; path: Path }
  | { kind: 'add-key'; path: Path; key: string; value: unknown };

/** A valid payload with one part replaced by anything, removed, or given a hostile extra key. */
export function mutated(valid: unknown): fc.Arbitrary<{ body: unknown; mutation: Mutation }> {
  const paths = pathsOf(valid);
  const objects: Path[] = [[], ...paths.filter((p) => isObject(getAt(valid, p)))];
  const replace = fc
    .record({ path: fc.constantFrom(...paths), value: anyJson })
    .map(({ path, value }) => ({ kind: 'replace' as const, path, value }));
  const remove = fc.constantFrom(...paths).map((path) => ({ kind: 'remove' as const, path }));
  const addKey = fc
    .record({ path: fc.constantFrom(...objects), key: hostileString, value: anyJson })
    .map(({ path, key, value }) => ({ kind: 'add-key' as const, path, key, value }));
  return fc
    .oneof({ weight: 4, arbitrary: replace }, remove, addKey)
    .map((mutation) => ({ body: apply(valid, mutation), mutation }));
}

function apply(valid: unknown, m: Mutation): unknown {
  if (m.kind === 'replace') return setAt(valid, m.path, m.value, false);
  if (m.kind === 'remove') return setAt(valid, m.path, undefined, true);
  const target = { ...(getAt(valid, m.path) as object), [m.key]: m.value };
  return setAt(valid, m.path, target, false);
}

function getAt(value: unknown, path: Path): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** JSON text of a value; RawJson parts (too deep to stringify) are spliced in as sent. */
export function toJsonText(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof RawJson) {
      raws.push(v.text);
      return `\u0001RAW${raws.length - 1}\u0001`;
    }
    return v;
  });
  // A value that is only `undefined` (a removed root) has no text: send nothing.
  if (text === undefined) return '';
  return text.replace(/"\\u0001RAW(\d+)\\u0001"/g, (_m, i: string) => raws[Number(i)] as string);
}

/** Bytes that are not UTF-8: a stray continuation, an overlong '/', a CESU-8 surrogate, 0xFF. */
const INVALID_UTF8 = [
  Buffer.from([0x80]),
  Buffer.from([0xc0, 0xaf]),
  Buffer.from([0xed, 0xa0, 0x80]),
  Buffer.from([0xff, 0xfe]),
  Buffer.from([0xc3]),
];

/**
 * Raw bodies built from a valid payload: the same key twice (first or last holding a bad
 * value), invalid UTF-8 inside a string, a raw NUL byte, the text cut short, or random bytes.
 */
export function rawBodies(valid: Record<string, unknown>): fc.Arbitrary<Buffer> {
  const text = JSON.stringify(valid);
  const keys = Object.keys(valid);
  const duplicateKey = fc
    .record({ key: fc.constantFrom(...keys), value: anyJson, first: fc.boolean() })
    .map(({ key, value, first }) => {
      const extra = `${JSON.stringify(key)}:${toJsonText(value) || 'null'}`;
      return Buffer.from(first ? `{${extra},${text.slice(1)}` : `${text.slice(0, -1)},${extra}}`);
    });
  const strings = [...text.matchAll(/"(?:[^"\\]|\\.)*"/g)].map((m) => m.index as number);
  const badBytes = fc
    .record({ at: fc.constantFrom(...strings), bytes: fc.constantFrom(...INVALID_UTF8) })
    .map(({ at, bytes }) =>
      Buffer.concat([Buffer.from(text.slice(0, at + 1)), bytes, Buffer.from(text.slice(at + 1))]),
    );
  const nulByte = fc
    .constantFrom(...strings)
    .map((at) => Buffer.from(`${text.slice(0, at + 1)}\u0000${text.slice(at + 1)}`));
  const truncated = fc.integer({ min: 0, max: text.length - 1 }).map((n) => Buffer.from(text.slice(0, n)));
  const random = fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a));
  return fc.oneof(duplicateKey, badBytes, nulByte, truncated, random);
}

/** What one request did: its answer, and the rows counted before and after it. */
export interface Outcome {
  status: number;
  text: string;
  /** The answer's content-type: an HTML page says what is wrong in words, not in `field`. */
  type: string;
  rowsBefore: number;
  rowsAfter: number;
}

/**
 * The property every handler keeps: never a 5xx; a refusal writes nothing; a 400 is JSON that
 * names the field it refuses (unless it is an HTML page, which says so in words).
 */
export function expectSafeAnswer(outcome: Outcome, what: string): void {
  const context = `${what}: ${outcome.status} ${outcome.text.slice(0, 300)}`;
  expect(outcome.status, context).toBeLessThan(500);
  if (outcome.status >= 400) expect(outcome.rowsAfter, `${context}: rows written`).toBe(outcome.rowsBefore);
  if (outcome.status === 400 && !outcome.type.startsWith('text/html')) {
    const body = JSON.parse(outcome.text) as { field?: unknown };
    expect(typeof body.field === 'string' && body.field.length > 0, context).toBe(true);
  }
}

/** Modest by default so test/fuzz runs in seconds; FUZZ_RUNS raises it for a longer hunt. */
export function runs(n: number): number {
  return Number(process.env.FUZZ_RUNS ?? n);
}

/** Uncaught exceptions and unhandled rejections while a test file runs: there must be none. */
export function watchProcessErrors(): { errors: unknown[]; stop(): void } {
  const errors: unknown[] = [];
  const record = (error: unknown) => errors.push(error);
  process.on('uncaughtException', record);
  process.on('unhandledRejection', record);
  return {
    errors,
    stop: () => {
      process.off('uncaughtException', record);
      process.off('unhandledRejection', record);
    },
  };
}

/** The row count a handler's writes change, summed over `tables`. */
export function rowCounter(database: () => TestDatabase, tables: readonly string[]): () => Promise<number> {
  const sql = `SELECT (${tables.map((t) => `(SELECT count(*) FROM ${t})`).join(' + ')})::int AS n`;
  return async () => {
    const [row] = await database().query<{ n: number }>(sql);
    return Number(row?.n);
  };
}

/** Sends one request and counts rows either side of it. */
export async function measure(count: () => Promise<number>, send: () => Promise<Response>): Promise<Outcome> {
  const rowsBefore = await count();
  const res = await send();
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, text, type, rowsBefore, rowsAfter: await count() };
}

/** Log lines at error level or above (pino's 50, 60): each is a request the app did not expect. */
export function errorLines(lines: readonly string[]): string[] {
  return lines.filter((line) => /"level":(50|60)/.test(line));
}

/**
 * A running app for a fuzz file: its log lines at `level` and up kept for the file's checks, and
 * the process's uncaught exceptions and unhandled rejections recorded until the file ends.
 */
export function useFuzzedApp(
  options: Omit<RunningAppOptions, 'runtime'> & { level?: 'warn' | 'error' } = {},
): { ctx: RunningApp; logLines: string[]; processErrors: { errors: unknown[] } } {
  const { level = 'warn', ...rest } = options;
  const logLines: string[] = [];
  const ctx = useRunningApp({
    ...rest,
    runtime: { logger: createLogger({ level, destination: { write: (l: string) => logLines.push(l) } }) },
  });
  const processErrors = watchProcessErrors();
  afterAll(() => processErrors.stop());
  return { ctx, logLines, processErrors };
}

/** A refusal that names where the unstorable part is: 400 invalid_payload with that `field`. */
export async function expectUnstorableNamed(res: Response, field: string | RegExp): Promise<void> {
  expect(res.status).toBe(400);
  const answer = (await res.json()) as { error: string; field: string };
  expect(answer.error).toBe('invalid_payload');
  if (typeof field === 'string') expect(answer.field).toBe(field);
  else expect(answer.field).toMatch(field);
}
