// Engineering words that mean nothing to the people reading a stakeholder update, with the
// plain words to say instead. The catalog's defaults.update_jargon adds terms, replaces the
// plain words of a built-in one, or (with ~) allows a built-in term again.

export const DEFAULT_JARGON: Readonly<Record<string, string>> = {
  p99: 'slowest responses',
  p95: 'slowest responses',
  p90: 'slowest responses',
  p50: 'typical response time',
  percentile: 'slowest responses',
  '5xx': 'errors',
  '4xx': 'errors',
  OOM: 'ran out of memory',
  OOMKilled: 'ran out of memory',
  rollback: 'went back to the previous version',
  'rolled back': 'went back to the previous version',
  'roll back': 'go back to the previous version',
  revert: 'went back to the previous version',
  latency: 'response time',
  LLM: 'AI model',
  inference: 'AI answers',
  'token limit': 'length limit',
  SLO: 'reliability target',
  k8s: 'our servers',
  Kubernetes: 'our servers',
  pod: 'server',
  hotfix: 'fix',
  canary: 'a small group of users',
  timeout: 'took too long',
  upstream: 'a service we depend on',
  RCA: 'investigation',
};

export interface JargonTerm {
  term: string;
  plain: string;
  pattern: RegExp;
}

/** The built-in list with the catalog's changes applied; terms compare case-insensitively. */
export function jargonList(overrides: Readonly<Record<string, string | null>> = {}): JargonTerm[] {
  const merged = new Map<string, { term: string; plain: string }>();
  for (const [term, plain] of Object.entries(DEFAULT_JARGON)) merged.set(term.toLowerCase(), { term, plain });
  for (const [term, plain] of Object.entries(overrides)) {
    if (plain === null) merged.delete(term.toLowerCase());
    else merged.set(term.toLowerCase(), { term, plain });
  }
  // Longest first, so "rolled back" is reported rather than a shorter term inside it.
  return [...merged.values()]
    .sort((a, b) => b.term.length - a.term.length)
    .map(({ term, plain }) => ({ term, plain, pattern: termPattern(term) }));
}

/** The term as a whole word, any case, with common endings (rollbacks, reverted, timeouts). */
function termPattern(term: string): RegExp {
  const body = term
    .trim()
    .split(/\s+/)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[\\s-]+');
  const endings = /\p{L}$/u.test(term) ? '(?:s|es|ed|ing)?' : '(?:s)?';
  return new RegExp(`(?<![\\p{L}\\p{N}_])${body}${endings}(?![\\p{L}\\p{N}_])`, 'giu');
}

export interface JargonHit {
  /** As written in the update. */
  found: string;
  plain: string;
}

/** Jargon in `text`, in reading order, each term once. */
export function findJargon(text: string, list: readonly JargonTerm[]): JargonHit[] {
  const hits: Array<JargonHit & { at: number; end: number; key: string }> = [];
  for (const { term, plain, pattern } of list) {
    for (const match of text.matchAll(pattern)) {
      const at = match.index;
      const end = at + match[0].length;
      // A shorter term inside a longer one already found ("back" in "rolled back") is the same hit.
      if (hits.some((h) => at < h.end && end > h.at)) continue;
      if (!hits.some((h) => h.key === term.toLowerCase())) {
        hits.push({ found: match[0], plain, at, end, key: term.toLowerCase() });
      }
    }
  }
  return hits.sort((a, b) => a.at - b.at).map(({ found, plain }) => ({ found, plain }));
}
