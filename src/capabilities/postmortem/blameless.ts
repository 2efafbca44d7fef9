// The blameless check: finds sentences that pin the incident on a person and proposes a
// rewrite about the system. It never changes the text it checks — quotes stay as said, and
// the draft lists what it found in its "Language check" section. Pure.
import { type BlameRule, DEFAULT_BLAME_RULES, toSimplePast } from './blame-rules.ts';
import { escapeRegExp } from './regex.ts';

export interface BlameFinding {
  sentence: string;
  /** The words that read as blame. */
  found: string;
  rule: string;
  suggestion: string;
  advice: string;
}

/** A finding placed in the draft. */
export interface Finding extends BlameFinding {
  /** Where in the draft: "Timeline 03:14:05 UTC, quote from responder A". */
  where: string;
}

export interface BlameChecker {
  check(text: string): BlameFinding[];
}

const ROLES =
  '(?:on-call engineer|incident lead|feature owner|escalation engineer|responder [A-Z]{1,2}|someone)';
/** Someone, whatever the names: mentions, handles, pronouns, roles (also as "[role]" in edited quotes). */
const GENERIC_PERSON = [
  '<@[UW][A-Z0-9]+(?:\\|[^>]*)?>',
  '(?<![\\w.@])@[\\w.-]+',
  '\\b(?:he|she|someone|somebody|you)\\b',
  `\\[${ROLES}\\]`,
  '\\bresponder [A-Z]{1,2}\\b',
  '\\bthe\\s+(?:on-?call(?:\\s+(?:engineer|person|dev))?|engineer|developer|dev|intern|contractor|operator|reviewer|deployer|incident\\s+lead|feature\\s+owner|escalation\\s+engineer)\\b',
];

interface Compiled {
  rule: BlameRule;
  regex: RegExp;
}

/** `people` are names Failsafe knows (caught even lower-case and at a sentence's start). */
export function createBlameChecker(
  rules: readonly BlameRule[] = DEFAULT_BLAME_RULES,
  people: readonly string[] = [],
): BlameChecker {
  const names = people
    .flatMap((p) => [p, ...p.split(/\s+/).filter((w) => w.length >= 3)])
    .sort((a, b) => b.length - a.length)
    .map((n) => `(?<![\\p{L}\\p{N}])${escapeRegExp(n)}(?![\\p{L}\\p{N}])`);
  const person = `(?:${[...GENERIC_PERSON, ...names].join('|')})`;
  const compiled: Compiled[] = rules.map((rule) => ({
    rule,
    regex: new RegExp(rule.pattern.replaceAll('{person}', person), 'iu'),
  }));
  return {
    check(text) {
      const findings: BlameFinding[] = [];
      for (const sentence of splitSentences(text)) {
        const finding = checkSentence(sentence, compiled);
        if (finding) findings.push(finding);
      }
      return findings;
    },
  };
}

/**
 * Every rule that matches, applied in order: rewrites change the sentence step by step, and
 * rules without one (a judgement word) add their advice.
 */
function checkSentence(sentence: string, compiled: readonly Compiled[]): BlameFinding | null {
  let current = sentence;
  const found: string[] = [];
  const rules: string[] = [];
  const advice: string[] = [];
  let rewritten = false;
  for (const { rule, regex } of compiled) {
    const match = regex.exec(current);
    if (!match) continue;
    found.push(match[0].trim());
    rules.push(rule.id);
    if (rule.rewrite) {
      current = rewrite(current, match.index, match[0], fill(rule.rewrite, match.groups ?? {}));
      rewritten = true;
    } else if (!advice.includes(rule.advice)) advice.push(rule.advice);
  }
  if (!found.length) return null;
  const suggestion = rewritten ? [current, ...advice].join(' — ') : advice.join(' ');
  return {
    sentence,
    found: found.join('”, “'),
    rule: rules.join(', '),
    suggestion,
    advice: advice[0] ?? compiled.find((c) => c.rule.id === rules[0])?.rule.advice ?? '',
  };
}

function fill(template: string, groups: Record<string, string | undefined>): string {
  return template.replace(/\{(\w+)(:past)?\}/g, (_m, name: string, past?: string) => {
    const value = (groups[name] ?? '').trim();
    return past ? toSimplePast(value) : value;
  });
}

/** The sentence with the blaming words replaced, starting with a capital letter. */
function rewrite(sentence: string, index: number, matched: string, replacement: string): string {
  const out = `${sentence.slice(0, index)}${replacement}${sentence.slice(index + matched.length)}`
    .replace(/\s{2,}/g, ' ')
    .trim();
  return out.charAt(0).toUpperCase() + out.slice(1);
}

const ABBREVIATIONS = /(?:\b(?:e\.g|i\.e|etc|vs|approx|incl|no|cf)|\b[A-Z])\.$/i;

/** Sentences and lines: a Slack message is often several lines without full stops. */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\n+/)) {
    let start = 0;
    const re = /[.!?]+["”’)]*\s+(?=["“‘(]?[\p{Lu}\d<@[])/gu;
    for (const m of line.matchAll(re)) {
      const end = m.index + m[0].length;
      const piece = line.slice(start, end).trim();
      if (ABBREVIATIONS.test(line.slice(start, m.index + 1).trim())) continue;
      if (piece) out.push(piece);
      start = end;
    }
    const last = line.slice(start).trim();
    if (last) out.push(last);
  }
  return out;
}
