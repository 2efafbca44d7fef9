// The built-in list of wording that pins an incident on a person, each with a neutral
// rewrite that points at the system instead. `{person}` in a pattern stands for someone: a
// name Failsafe knows, a Slack mention, a role ("the on-call engineer", "[incident lead]"),
// or he/she/someone/you. Patterns about what people did only match with a person as the
// subject, so "the replica should have failed over" and "the fault injector" stay unflagged.
// Extend or switch these off with postmortem-language.yml beside failsafe.yml (README).

export interface BlameRule {
  id: string;
  /** Regular expression source, matched case-insensitively. */
  pattern: string;
  /**
   * What replaces the match in the suggested sentence. `{rest}` is the named group `rest`;
   * `{rest:past}` the same in the simple past ("should have known" → "knew"). Without a
   * rewrite, the advice is the suggestion.
   */
  rewrite?: string;
  advice: string;
}

const NOT_TOLERANCE =
  '(?!\\s*[-‐]?\\s*(?:tolerance|tolerant|injector|injection|domain|line|handler|code|isolation))';
const SYSTEMS =
  'model|llm|bot|agent|job|cache|service|script|pipeline|system|server|replica|cron|prompt|api|index|it|client|sdk|worker|query|check|test|monitor|alert|deploy|rollout';
const REST = '(?<rest>[^.;:!?,()]+?)(?=\\s*(?:[.;:!?,()]|$|\\s(?:but|and|so|because|which|when)\\s))';

export const DEFAULT_BLAME_RULES: readonly BlameRule[] = [
  {
    id: 'human-error',
    pattern: '\\bhuman[\\s-]+errors?\\b',
    rewrite: 'a gap in our safeguards',
    advice: 'Name the missing safeguard: what let one action cause harm?',
  },
  {
    id: 'fault-of-person',
    pattern: `(?:{person}['’]s|\\b(?:his|her|your))\\s+(?:own\\s+)?(?:fault|mistake|screw-?up|blunder)\\b${NOT_TOLERANCE}`,
    rewrite: 'a gap in the process',
    advice: 'Describe the condition that made the failure possible, not whose it was.',
  },
  {
    id: 'fault-by-person',
    pattern: '\\b(?:the\\s+)?(?:fault|mistake|error)\\s+(?:of|by)\\s+{person}',
    rewrite: 'a gap in the process',
    advice: 'Describe the condition that made the failure possible, not whose it was.',
  },
  {
    id: 'caused-by-person',
    pattern: '\\b(?<verb>caused|broken|introduced|triggered)\\s+by\\s+{person}',
    rewrite: '{verb} by a change that nothing caught',
    advice: 'Say which change and which check did not catch it.',
  },
  {
    id: 'should-have',
    pattern: `{person}\\s+should(?:\\s+have|['’]ve)\\s+${REST}`,
    rewrite: 'nothing in the process made sure someone {rest:past}',
    advice: 'Ask what would have made the right step the default (a check, an alert, a runbook step).',
  },
  {
    id: 'should-not-have',
    pattern: "{person}\\s+(?:should\\s+not|shouldn['’]t)\\s+have\\b",
    advice: 'Say what allowed the step, and what would have stopped it (a guard, a review, a default).',
  },
  {
    id: 'forgot',
    pattern: `{person}\\s+(?:forgot|had\\s+forgotten|neglected|failed|omitted)\\s+to\\s+${REST}`,
    rewrite: 'nothing prompted anyone to {rest}',
    advice: 'Memory is not a control: say which checklist, automation or alert was missing.',
  },
  {
    id: 'forgot-anyone',
    // Anyone but a system: "the model forgot to cite sources" is a quality bug, not blame.
    pattern: `(?<!\\b(?:${SYSTEMS})\\s+)\\b(?:forgot|forgotten)\\s+to\\s+${REST}`,
    rewrite: 'nothing prompted anyone to {rest}',
    advice: 'Memory is not a control: say which checklist, automation or alert was missing.',
  },
  {
    id: 'did-not',
    pattern: `{person}\\s+(?:did\\s+not|didn['’]t|never)\\s+(?!know\\b)${REST}`,
    rewrite: 'nothing prompted anyone to {rest}',
    advice: 'Say what would have prompted the step.',
  },
  {
    id: 'broke',
    pattern: '{person}\\s+(?<verb>broke|caused|messed\\s+up|screwed\\s+up|botched)\\b',
    rewrite: 'a change {verb}',
    advice: 'Name the change and what let it through.',
  },
  {
    id: 'missed',
    pattern: `{person}\\s+(?:missed|overlooked|ignored)\\s+${REST}`,
    rewrite: '{rest} went unnoticed',
    advice: 'Say why it did not stand out (noise, routing, no alert).',
  },
  {
    id: 'judgement',
    pattern:
      '\\b(?:careless(?:ly|ness)?|negligen(?:t|tly|ce)|sloppy|sloppily|incompeten(?:t|ce)|lazy(?![\\s-]+(?:load|loading|loaded|init|evaluation))|laziness|reckless(?:ly)?|stupid(?:ity)?|idiot(?:ic)?)\\b',
    advice: 'Drop the judgement; say what happened and what made it easy to happen.',
  },
  {
    id: 'blame',
    pattern:
      '\\b(?:to\\s+blame|blam(?:e|ed|es|ing)\\s+(?:on\\s+)?{person}|whose\\s+fault|who\\s+(?:broke|caused)|dropped\\s+the\\s+ball|asleep\\s+at\\s+the\\s+wheel|should\\s+have\\s+known\\s+better)\\b',
    advice: 'Say what failed and what would catch it next time, not who.',
  },
];

/** Participles that are not also the simple past, for "should have known" → "knew". */
const IRREGULAR: Record<string, string> = {
  been: 'was',
  begun: 'began',
  broken: 'broke',
  chosen: 'chose',
  done: 'did',
  driven: 'drove',
  forgotten: 'forgot',
  frozen: 'froze',
  given: 'gave',
  gone: 'went',
  gotten: 'got',
  hidden: 'hid',
  known: 'knew',
  ran: 'ran',
  rerun: 'reran',
  run: 'ran',
  seen: 'saw',
  shown: 'showed',
  spoken: 'spoke',
  taken: 'took',
  thrown: 'threw',
  undone: 'undid',
  woken: 'woke',
  written: 'wrote',
};

/** "checked the rollout" → "checked the rollout"; "known" → "knew"; "run the tests" → "ran the tests". */
export function toSimplePast(phrase: string): string {
  const [first = '', ...rest] = phrase.trim().split(/\s+/);
  const past = IRREGULAR[first.toLowerCase()] ?? first;
  return [past, ...rest].join(' ');
}
