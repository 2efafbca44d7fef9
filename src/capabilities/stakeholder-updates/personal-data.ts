// Personal data and secrets that must not reach a stakeholder channel: email addresses,
// phone numbers, Slack tokens, API keys and long hex/base64 strings. Pure. Times (10:30),
// dates (2026-11-23), versions (v1.2.3), percentages and ordinary links are left alone.

export type PersonalDataKind = 'email' | 'phone' | 'secret';

export interface PersonalDataHit {
  kind: PersonalDataKind;
  /** Shortened, so the error does not repeat a whole secret back. */
  found: string;
}

const URL = /\bhttps?:\/\/[^\s<>]+/gi;
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
const SECRETS: RegExp[] = [
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/g, // Slack tokens
  /\bxapp-[A-Za-z0-9-]{10,}/g,
  /\b(?:sk|pk|rk)-[A-Za-z0-9_-]{16,}/g, // OpenAI/Stripe-style keys
  /\bgh[pousr]_[A-Za-z0-9]{20,}/g, // GitHub tokens
  /\bAKIA[0-9A-Z]{16}\b/g, // AWS access key ids
  /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*/g, // JWTs
  /\b[0-9a-f]{32,}\b/gi, // long hex: API keys, hashes
  /(?<![A-Za-z0-9+/_-])(?=[A-Za-z0-9+/_-]*\d)(?=[A-Za-z0-9+/_-]*[A-Za-z])[A-Za-z0-9+/_-]{32,}={0,2}/g, // base64
];
/** A URL carrying credentials: user:password@ or ?token=… */
const SECRET_URL = /^https?:\/\/[^/\s:@]+:[^/\s@]+@|[?&](?:token|key|api_key|apikey|secret|password|sig)=/i;
// Digits with phone-like separators: 9 to 15 digits in all (E.164 allows 15).
const PHONE = /(?<![\w.:/-])\+?\(?\d[\d\s().-]{7,}\d(?![\w:/%]|\.\d)/g;
const DATE_TIME = /\b\d{4}-\d{2}-\d{2}(?:[T ]\d{1,2}:\d{2}(?::\d{2})?)?\b|\b\d{1,2}:\d{2}(?::\d{2})?\b/g;

export function findPersonalData(text: string): PersonalDataHit[] {
  const hits: PersonalDataHit[] = [];
  const urls = [...text.matchAll(URL)].map((m) => m[0]);
  for (const url of urls) if (SECRET_URL.test(url)) hits.push({ kind: 'secret', found: shorten(url) });
  // Links are allowed (a status page); their paths are not secrets or phone numbers.
  const plain = text.replace(URL, ' ');
  for (const m of plain.matchAll(EMAIL)) hits.push({ kind: 'email', found: m[0] });
  const noEmails = plain.replace(EMAIL, ' ');
  const seen = new Set<string>();
  for (const pattern of SECRETS) {
    for (const m of noEmails.matchAll(pattern)) {
      if ([...seen].some((s) => s.includes(m[0]) || m[0].includes(s))) continue;
      seen.add(m[0]);
      hits.push({ kind: 'secret', found: shorten(m[0]) });
    }
  }
  const noSecrets = [...seen].reduce((t, s) => t.replaceAll(s, ' '), noEmails).replace(DATE_TIME, ' ');
  for (const m of noSecrets.matchAll(PHONE)) {
    const digits = m[0].replace(/\D/g, '').length;
    if (digits >= 9 && digits <= 15) hits.push({ kind: 'phone', found: m[0].trim() });
  }
  return hits;
}

function shorten(value: string): string {
  return value.length > 12 ? `${value.slice(0, 8)}…` : value;
}
