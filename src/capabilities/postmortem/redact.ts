// Masks personal data and secrets in text the draft quotes: a postmortem is read widely and
// kept for years, so an email address, a phone number or a token pasted into the incident
// channel must not travel with it. The mask says what was there ("[email]"), so the quote is
// visibly edited, never silently. Pure. Times, dates, versions, IP addresses, UUIDs and git
// commit ids are left alone.

export interface Masked {
  text: string;
  counts: { email: number; phone: number; secret: number };
}

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
/** Whole strings that are credentials by their shape. */
const SECRETS: RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  /\bxox[abposre]-[A-Za-z0-9-]{10,}/g, // Slack tokens
  /\bxapp-[A-Za-z0-9-]{10,}/g,
  /\b(?:sk|pk|rk)-(?:proj-|live-|test-)?[A-Za-z0-9_-]{16,}/g, // OpenAI-style keys
  /\b[sr]k_(?:live|test)_[A-Za-z0-9]{16,}/g, // Stripe
  /\bgh[pousr]_[A-Za-z0-9]{20,}|\bgithub_pat_[A-Za-z0-9_]{20,}/g,
  /\bAKIA[0-9A-Z]{16}\b/g, // AWS access key ids
  /\bAIza[0-9A-Za-z_-]{35}\b/g, // Google API keys
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, // JWTs
  // Long hex (API keys, HMAC secrets), except exactly 40 characters: a git commit id.
  /(?<![0-9a-fA-F-])(?:[0-9a-fA-F]{32,39}|[0-9a-fA-F]{41,})(?![0-9a-fA-F-])/g,
  // Long base64url-like runs mixing upper case, lower case and digits (slugs and paths do not).
  /(?<![\w-])(?=[\w-]*\d)(?=[\w-]*[a-z])(?=[\w-]*[A-Z])[\w-]{32,}={0,2}/g,
];
/** `password=…`, `api_key: …`, `?token=…`: the name stays, the value goes. */
const ASSIGNED =
  /\b((?:pass(?:word|wd)?|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|client[_-]?secret|auth)\s*[:=]\s*)(["']?)[^\s"'&,;()<>]{3,}[^\s"'&,;()<>.]\2/gi;
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:)[^/\s@]+@/gi;
/** Dates, times, dotted numbers (IPs, versions) and UUIDs are shielded from the phone pattern. */
const SHIELDED =
  /\b\d{4}-\d{2}-\d{2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?|\b\d{1,2}:\d{2}(?::\d{2})?\b|\b\d+(?:\.\d+){2,}\b|\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const PHONE = /(?<![\w.:/-])\+?\(?\d[\d\s().-]{7,}\d(?![\w:/%]|\.\d)/g;

export function maskPersonalData(input: string): Masked {
  const counts = { email: 0, phone: 0, secret: 0 };
  let text = input.replace(URL_CREDENTIALS, (_m, head: string) => {
    counts.secret++;
    return `${head}[secret]@`;
  });
  text = text.replace(ASSIGNED, (_m, name: string) => {
    counts.secret++;
    return `${name}[secret]`;
  });
  text = text.replace(EMAIL, () => {
    counts.email++;
    return '[email]';
  });
  for (const pattern of SECRETS) {
    text = text.replace(pattern, () => {
      counts.secret++;
      return '[secret]';
    });
  }
  const shielded: string[] = [];
  // Private-use characters as placeholders: they never occur in what people type.
  text = text.replace(SHIELDED, (m) => `\uE000${shielded.push(m) - 1}\uE001`);
  text = text.replace(PHONE, (m) => {
    const digits = m.replace(/\D/g, '').length;
    if (digits < 9 || digits > 15) return m;
    counts.phone++;
    const trailing = /\s+$/.exec(m)?.[0] ?? '';
    return `[phone]${trailing}`;
  });
  text = text.replace(/\uE000(\d+)\uE001/g, (_m, i: string) => shielded[Number(i)] ?? '');
  return { text, counts };
}

export function addCounts(into: Masked['counts'], more: Masked['counts']): void {
  into.email += more.email;
  into.phone += more.phone;
  into.secret += more.secret;
}
