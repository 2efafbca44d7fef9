// Text that goes into a Markdown file (the postmortem download): anything from outside shows
// as typed. It can add no HTML (no <script>, no <img onerror>), no link or image of its own
// ([x](javascript:…), ![i](http://…)), and no block structure (a heading, a link definition).
import { safeHttpUrl } from './slack-text.ts';

// Entities rather than backslashes: a table cell doubles backslashes, which would undo `\[`.
const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '[': '&#91;', ']': '&#93;' };

/** Plain input text, safe anywhere inline in Markdown; line breaks become spaces. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[&<>[\]]/g, (c) => ENTITY[c] ?? c).replace(/\s*[\r\n]+\s*/g, ' ');
}

/** `[label](url)` when `url` is an acceptable http(s) URL, else the label as plain text. */
export function markdownLink(url: string | null | undefined, label: string): string {
  const safe = safeHttpUrl(url);
  return safe ? `[${escapeMarkdown(label)}](${safe})` : escapeMarkdown(label);
}

/** Input as a code span: literal inside, fenced by more backticks than it contains. */
export function markdownCode(text: string): string {
  const flat = text.replace(/\s*[\r\n]+\s*/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  // A span that starts or ends with a backtick needs a space so the fence stays the fence.
  const pad = /^`|`$/.test(flat) ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}
