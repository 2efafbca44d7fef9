// The rules a stakeholder update must pass before anything is posted. Pure: the modal shows
// each broken rule next to its field, with what to write instead.
import { findBlame } from './blame.ts';
import { findJargon, type JargonTerm } from './jargon.ts';
import { clock, normaliseTime, resolveNextUpdate, splitNextUpdateClause } from './next-update.ts';
import { findPersonalData, type PersonalDataKind } from './personal-data.ts';
import { splitSentences } from './sentences.ts';

/**
 * The whole update, "Next update at" sentence included. Slack allows 3,000 characters in a
 * section's text; two plain sentences fit easily in a third of that, and anything longer
 * is a report, which belongs in the incident channel.
 */
export const MAX_UPDATE_CHARS = 1_000;
export const MAX_SENTENCES = 2;

export type Field = 'text' | 'next_update';
export type Rule =
  | 'empty'
  | 'length'
  | 'sentences'
  | 'jargon'
  | 'blame'
  | 'personal_data'
  | 'time_format'
  | 'time_past'
  | 'time_mismatch';

export interface Violation {
  field: Field;
  rule: Rule;
  message: string;
}

export interface ValidationContext {
  now: Date;
  /** The stakeholder channel's time zone: HH:mm means a time there. */
  timeZone: string;
  jargon: readonly JargonTerm[];
  /** Names of people Failsafe knows, for the blame rule. */
  people?: readonly string[];
  /** Names of systems (the feature's name), never taken for people. */
  systems?: readonly string[];
}

export type Validated =
  | { ok: true; body: string; dueAt: Date; update: string }
  | { ok: false; violations: Violation[] };

export function validateUpdate(
  input: { text: string; nextUpdate: string },
  ctx: ValidationContext,
): Validated {
  const violations: Violation[] = [];
  const text = (field: Field, rule: Rule, message: string) => violations.push({ field, rule, message });
  const next = resolveNextUpdate(input.nextUpdate, ctx.now, ctx.timeZone);
  if (!next.ok) text('next_update', next.rule, next.message);
  const { body: raw, time: stated } = splitNextUpdateClause(input.text);
  const body = withFullStop(raw);
  const field = next.ok ? normaliseTime(input.nextUpdate) : null;
  if (stated && field && stated !== field) {
    text(
      'text',
      'time_mismatch',
      `The text says the next update is at ${stated} but the field below says ${field}. Leave it out of the text: Failsafe adds "Next update at ${field}." itself.`,
    );
  }
  if (!body) {
    text('text', 'empty', 'Write the update: what is affected, and what you did about it.');
    return { ok: false, violations };
  }
  const update = composeUpdate(body, next.ok ? next.at : ctx.now, ctx.timeZone);
  if (update.length > MAX_UPDATE_CHARS) {
    text(
      'text',
      'length',
      `Too long: ${update.length} characters with the "Next update at" sentence; keep it under ${MAX_UPDATE_CHARS.toLocaleString('en')}. Details belong in the incident channel.`,
    );
  }
  const sentences = splitSentences(body);
  if (sentences.length > MAX_SENTENCES) {
    text(
      'text',
      'sentences',
      `${sentences.length} sentences; use at most ${MAX_SENTENCES} before "Next update at": what is affected, and what you did about it.`,
    );
  }
  const jargon = findJargon(body, ctx.jargon);
  if (jargon.length) {
    text(
      'text',
      'jargon',
      `Jargon stakeholders may not know: ${jargon.map((j) => `"${j.found}" → say "${j.plain}"`).join('; ')}.`,
    );
  }
  const blame = findBlame(sentences, { people: ctx.people ?? [], systems: ctx.systems ?? [] });
  if (blame.length) {
    text(
      'text',
      'blame',
      `Blame: ${blame.map((b) => `"${b.found}"`).join(', ')} points at a person. Say what failed, not who, e.g. "a configuration change caused…".`,
    );
  }
  const personal = findPersonalData(body);
  if (personal.length) {
    const kinds = [...new Set(personal.map((p) => p.kind))].map((kind) => PERSONAL[kind]).join('; ');
    text('text', 'personal_data', `Personal data or secrets: ${kinds}. Remove them.`);
  }
  if (violations.length || !next.ok) return { ok: false, violations };
  return { ok: true, body, dueAt: next.at, update };
}

const PERSONAL: Record<PersonalDataKind, string> = {
  email: 'an email address (say "a customer" instead)',
  phone: 'a phone number',
  secret: 'what looks like a token or key (rotate it if it is real)',
};

export function composeUpdate(body: string, dueAt: Date, timeZone: string): string {
  return `${withFullStop(body)} Next update at ${clock(dueAt, timeZone)}.`;
}

function withFullStop(body: string): string {
  const trimmed = body.trim();
  return trimmed && !/[.!?…]["')\]’”]*$/.test(trimmed) ? `${trimmed}.` : trimmed;
}

/** Slack's `errors` object for response_action: one message per block, rules joined. */
export function modalErrors(violations: readonly Violation[], blockIds: Record<Field, string>) {
  const errors: Record<string, string> = {};
  for (const v of violations) {
    const id = blockIds[v.field];
    errors[id] = errors[id] ? `${errors[id]} ${v.message}` : v.message;
  }
  return errors;
}
