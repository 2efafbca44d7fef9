// Who took part, by role. The narrative names people by what they were doing ("the on-call
// engineer", "responder A") so the draft reads as a story about the system; the names are in
// the appendix for whoever needs to ask a follow-up question. Pure.
import { type PersonFacts, SYSTEM_ACTORS, type TimelineItem } from './facts.ts';
import { escapeRegExp } from './regex.ts';

export interface KnownPerson {
  slackId: string | null;
  name: string;
  handle?: string | null;
}

export interface CastInput {
  onCall: KnownPerson[];
  lead: KnownPerson | null;
  owner: KnownPerson | null;
  entries: readonly TimelineItem[];
}

/** Most important first: a person is named by the first role they hold. */
const ROLE_ORDER = ['on-call engineer', 'incident lead', 'feature owner', 'escalation engineer'];

export function castPeople(input: CastInput): PersonFacts[] {
  const byName = new Map<string, PersonFacts>();
  const add = (who: KnownPerson, role: string | null) => {
    const key = who.name.trim().toLowerCase();
    if (!key || SYSTEM_ACTORS.has(who.name)) return;
    let person = byName.get(key);
    if (!person) {
      person = { name: who.name.trim(), slackId: who.slackId, handle: who.handle ?? null, roles: [] };
      byName.set(key, person);
    }
    person.slackId ??= who.slackId;
    person.handle ??= who.handle ?? null;
    if (role && !person.roles.includes(role)) person.roles.push(role);
  };
  for (const [i, p] of input.onCall.entries()) add(p, i === 0 ? 'on-call engineer' : 'escalation engineer');
  if (input.lead) add(input.lead, 'incident lead');
  if (input.owner) add(input.owner, 'feature owner');
  for (const entry of input.entries) {
    if (!entry.actor) continue;
    const user = entry.kind.startsWith('slack.') ? entry.data?.user : undefined;
    add({ name: entry.actor, slackId: typeof user === 'string' ? user : null }, null);
  }
  let responders = 0;
  const people = [...byName.values()];
  for (const person of people) {
    person.roles.sort((a, b) => ROLE_ORDER.indexOf(a) - ROLE_ORDER.indexOf(b));
    if (!person.roles.length) person.roles.push(`responder ${letter(responders++)}`);
  }
  return people;
}

/** A, B, …, Z, AA, AB, … */
function letter(n: number): string {
  return n < 26 ? String.fromCharCode(65 + n) : letter(Math.floor(n / 26) - 1) + letter(n % 26);
}

/** "the on-call engineer", or "responder A" (which takes no article). */
export function roleLabel(person: PersonFacts): string {
  const role = person.roles[0] ?? 'a responder';
  return role.startsWith('responder ') ? role : `the ${role}`;
}

export interface Namer {
  /** The role of an actor ("Jane Doe" → "the on-call engineer"); systems keep their name. */
  actor(name: string | null): string;
  /** Names and mentions in Failsafe's own sentences become roles. */
  narrate(text: string): string;
  /** The same in a quote, marked as an edit: "[on-call engineer]". */
  quote(text: string): string;
  /** Names Failsafe knows, for the blame check. */
  names: string[];
}

export function createNamer(people: readonly PersonFacts[]): Namer {
  const firstNames = new Map<string, number>();
  for (const p of people) {
    const first = p.name.split(/\s+/)[0] ?? '';
    firstNames.set(first, (firstNames.get(first) ?? 0) + 1);
  }
  type Swap = { pattern: RegExp; person: PersonFacts };
  const swaps: Swap[] = [];
  for (const person of people) {
    const forms = [person.name];
    const first = person.name.split(/\s+/)[0] ?? '';
    // A first name alone only when it is unambiguous and not a common short word.
    if (first !== person.name && first.length >= 3 && firstNames.get(first) === 1) forms.push(first);
    const alternatives = forms.map((f) => `(?<![\\p{L}\\p{N}])${escapeRegExp(f)}(?![\\p{L}\\p{N}])`);
    if (person.slackId) alternatives.unshift(`<@${escapeRegExp(person.slackId)}(?:\\|[^>]*)?>`);
    if (person.handle) alternatives.push(`(?<![\\w.])@${escapeRegExp(person.handle)}(?![\\w-])`);
    swaps.push({ pattern: new RegExp(alternatives.join('|'), 'gu'), person });
  }
  // Longest names first, so "Jane Doe" is replaced before "Jane".
  swaps.sort((a, b) => b.person.name.length - a.person.name.length);
  const byName = new Map(people.map((p) => [p.name.toLowerCase(), p]));
  const replace = (text: string, label: (p: PersonFacts) => string, unknown: string) => {
    let out = text;
    for (const { pattern, person } of swaps) out = out.replace(pattern, label(person));
    return out.replace(/<@[UW][A-Z0-9]+(?:\|[^>]*)?>/g, unknown);
  };
  return {
    actor: (name) => {
      if (!name) return 'Failsafe';
      const person = byName.get(name.trim().toLowerCase());
      if (person) return roleLabel(person);
      return SYSTEM_ACTORS.has(name) ? systemName(name) : 'a responder';
    },
    narrate: (text) => replace(text, roleLabel, 'someone'),
    quote: (text) => replace(text, (p) => `[${p.roles[0] ?? 'responder'}]`, '[someone]'),
    names: people.map((p) => p.name),
  };
}

export function systemName(actor: string): string {
  if (actor.toLowerCase() === 'failsafe') return 'Failsafe';
  if (actor === 'error-budget') return 'error budget (Failsafe)';
  if (actor === 'quality-watch') return 'quality watch (Failsafe)';
  return `monitoring (${actor})`;
}

export const capitalise = (s: string) => (s ? s.charAt(0).toUpperCase() + s.slice(1) : s);
