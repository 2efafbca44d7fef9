// Splits an update into sentences, so "at most two sentences" counts what a reader sees.
// Pure. A full stop ends a sentence only when it looks like one: not inside a number (2.5%),
// a time (10:30), a version (v1.2) or a URL, not after an abbreviation (e.g., approx., Dr.),
// and not before a lower-case word. A line break always ends one: stakeholder updates are
// prose, and three bullet lines are three statements.

/** Never end a sentence: they always lead into more of it (e.g. / Dr. Smith / approx. 10). */
const ALWAYS_CONTINUE = new Set([
  'e.g',
  'eg',
  'i.e',
  'ie',
  'approx',
  'cf',
  'vs',
  'incl',
  'excl',
  'esp',
  'dr',
  'mr',
  'mrs',
  'ms',
  'prof',
]);

/** End a sentence unless a number follows: "No. 5", "ca. 10", "est. 20 min", "Nov. 23". */
const BEFORE_NUMBER = new Set([
  'no',
  'nos',
  'fig',
  'ca',
  'est',
  'v',
  'ver',
  'jan',
  'feb',
  'mar',
  'apr',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'oct',
  'nov',
  'dec',
]);

/**
 * May end a sentence, or sit inside one: "at 3 p.m. UTC we…" continues, "at 3 p.m. The
 * team…" ends. These end one only before a capitalised ordinary word (The, not UTC).
 */
const MAYBE_END = new Set(['a.m', 'p.m', 'am', 'pm', 'etc', 'al', 'inc', 'ltd', 'co', 'corp']);

const CLOSERS = `"')]}’”»`;

export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    let start = 0;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i] as string;
      if (!'.!?…'.includes(ch)) continue;
      let end = i + 1;
      while (end < line.length && '.!?…'.includes(line[end] as string)) end++;
      while (end < line.length && CLOSERS.includes(line[end] as string)) end++;
      if (end < line.length && !/\s/.test(line[end] as string)) {
        i = end - 1;
        continue; // 2.5%, v1.2, example.com/a, "?!x"
      }
      const next = /^\s*(\S*)/.exec(line.slice(end))?.[1] ?? '';
      if (next === '' || endsHere(line.slice(start, i + 1), ch, next)) {
        push(sentences, line.slice(start, end));
        start = end;
      }
      i = end - 1;
    }
    push(sentences, line.slice(start));
  }
  return sentences;
}

function push(sentences: string[], piece: string): void {
  const trimmed = piece.trim();
  // A stray "." or "—" between sentences is not a sentence of its own.
  if (/[\p{L}\p{N}]/u.test(trimmed)) sentences.push(trimmed);
}

/** Does the terminator `mark` at the end of `before` close a sentence, given the next word? */
function endsHere(before: string, mark: string, next: string): boolean {
  const nextWord = next.replace(/^[("'‘“[]+/, '');
  // "approx. ten", "e.g. the bot": a lower-case word continues the sentence.
  if (/^\p{Ll}/u.test(nextWord)) return false;
  if (mark !== '.') return true;
  const word = /([\p{L}.]+)\.$/u.exec(before)?.[1] ?? '';
  const key = word.toLowerCase();
  if (ALWAYS_CONTINUE.has(key)) return false;
  if (BEFORE_NUMBER.has(key)) return !/^[#\d]/.test(nextWord);
  // Initials: "J. R. Smith".
  if (/^\p{Lu}$/u.test(word)) return false;
  if (MAYBE_END.has(key)) return /^\p{Lu}\p{Ll}/u.test(nextWord);
  return true;
}

export function countSentences(text: string): number {
  return splitSentences(text).length;
}
