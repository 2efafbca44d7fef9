// Blameless wording: a stakeholder update says what failed, never who. Pure. Heuristics,
// tuned to miss little while leaving systems alone: "Search failed to load" is fine,
// "Jane broke the config", "<@U123>'s mistake" and "human error" are not.

const VERBS = [
  'broke',
  'broken',
  'caused',
  'forgot',
  'forgotten',
  'failed to',
  'neglected',
  'messed up',
  'screwed up',
  'dropped the ball',
  'did not',
  "didn't",
  'missed',
];
const VERB = `(?:${VERBS.map((v) => v.replace(/ /g, '\\s+')).join('|')})`;
// A Slack mention, or an @handle (not the @ of an email address).
const MENTION = '(?:<@[UW][A-Z0-9]+(?:\\|[^>]*)?>|(?<![\\w.])@[\\w.-]+)';
/** Capitalised words that start sentences and are not people. */
const NOT_PEOPLE = new Set(
  (
    'We I It This That These Those The A An Our Their Its There Nothing Nobody No Something ' +
    'Everything Everyone One Another Each Some Most All Both Today Yesterday Earlier Then After ' +
    'Before When While Once Users Customers Requests Traffic Monday Tuesday Wednesday Thursday ' +
    'Friday Saturday Sunday AI'
  ).split(' '),
);
const PERSON_WORDS =
  /^(?:he|she|someone|somebody|engineer|developer|employee|intern|contractor|colleague|teammate|operator)s?$/i;

export interface BlameHit {
  found: string;
}

export interface BlameContext {
  /** Names Failsafe knows (poster, paged person, owner): caught even at a sentence's start. */
  people?: readonly string[];
  /** Names of systems (the feature's name): never people, even capitalised mid-sentence. */
  systems?: readonly string[];
}

interface Names {
  known: readonly string[];
  systems: ReadonlySet<string>;
}

/** The phrase in each sentence that pins something on a person. */
export function findBlame(sentences: readonly string[], context: BlameContext = {}): BlameHit[] {
  const names: Names = {
    known: (context.people ?? []).flatMap((p) => [p, ...p.split(/\s+/)]).filter((w) => w.length > 1),
    systems: new Set((context.systems ?? []).flatMap((s) => s.toLowerCase().split(/\s+/))),
  };
  const hits: BlameHit[] = [];
  for (const sentence of sentences) {
    const hit = blameIn(sentence, names);
    if (hit) hits.push({ found: hit.trim() });
  }
  return hits;
}

function blameIn(sentence: string, names: Names): string | null {
  const human = /\bhuman\s+errors?\b/i.exec(sentence);
  if (human) return human[0];
  const blame = /\b(?:to\s+blame|blamed?\s+\S+|fault\s+of\s+\S+)/i.exec(sentence);
  if (blame) return blame[0];
  // "Jane's fault", "<@U1>'s mistake", "after Jane's change broke search".
  const possessive = new RegExp(
    `(${MENTION}|[\\p{L}][\\p{L}-]*)['’]s\\s+(?:fault|mistake|\\S+\\s+${VERB})`,
    'giu',
  );
  for (const match of sentence.matchAll(possessive)) {
    const fault = /(?:fault|mistake)$/i.test(match[0]);
    if (isPerson(match[1] as string, !fault && match.index === 0, names)) return match[0];
  }
  const mention = new RegExp(MENTION).exec(sentence);
  if (mention && new RegExp(`${VERB}|\\b(?:fault|mistake)\\b`, 'i').test(sentence)) return sentence;
  // "<someone> broke/caused/forgot…": look at the one or two words before each verb.
  for (const match of sentence.matchAll(new RegExp(`\\s+${VERB}\\b`, 'giu'))) {
    const before = sentence.slice(0, match.index);
    const words = before.split(/\s+/).filter(Boolean);
    const last = words.at(-1) ?? '';
    const lastTwo = words.slice(-2).join(' ');
    const start = words.length === 1;
    if (words.length >= 2 && isKnown(lastTwo, names.known)) return `${lastTwo}${match[0]}`;
    if (isPerson(last, start, names)) return `${last}${match[0]}`;
  }
  const by = new RegExp(
    `\\b(?:caused|broken|introduced|done|made)\\s+by\\s+(${MENTION}|[\\p{L}][\\p{L}'-]*)`,
    'iu',
  );
  const agent = by.exec(sentence);
  if (agent && isPerson(agent[1] as string, false, names)) return agent[0];
  return null;
}

const isKnown = (name: string, known: readonly string[]) =>
  known.some((k) => k.toLowerCase() === name.toLowerCase());

function isPerson(word: string, sentenceStart: boolean, names: Names): boolean {
  const name = word.replace(/['’]s$/, '').replace(/^[("'‘“]+|[,;:)"'’”]+$/g, '');
  if (new RegExp(`^${MENTION}$`).test(name)) return true;
  if (PERSON_WORDS.test(name)) return true;
  if (isKnown(name, names.known)) return true;
  if (names.systems.has(name.toLowerCase())) return false;
  // An ordinary capitalised word mid-sentence ("after Jane forgot") is most likely a name;
  // at the start of a sentence it could be anything ("Search failed to load"), and ALL-CAPS
  // words are systems (AWS, API).
  return !sentenceStart && /^\p{Lu}\p{Ll}+$/u.test(name) && !NOT_PEOPLE.has(name);
}
