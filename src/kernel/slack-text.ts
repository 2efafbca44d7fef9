// Text that goes into Slack: anything that came from outside (alert titles, people's names,
// reasons typed into a modal, URLs in an alert) is escaped before it sits inside mrkdwn, so it
// shows as typed and can never mention a channel, a person or a group, or disguise a link.
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns/format';
import type { SlackUser } from '../adapters/slack.ts';

/**
 * THE escaping function for Slack: &, < and > are mrkdwn's only control characters, so after
 * this no `<!here>`, `<@U…>`, `<#C…>`, `<!subteam^…>` or `<url|label>` can come from `text`.
 * Use it for every interpolated string in mrkdwn, Block Kit and a message's top-level `text`.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// Characters WHATWG URL serialisation leaves alone that would end a Slack link (`|`, `>`) or a
// Markdown link destination (`(`, `)`, `<`, whitespace); encoding them does not change the URL.
const LINK_BREAKERS = /[|<>()[\]"'`\s\\]/g;

/**
 * An input URL as one safe to put inside a link, or null: only absolute http(s) URLs pass
 * (`javascript:`, `data:`, `mailto:`, relative paths do not), and every character that could
 * close the link or start markup is percent-encoded.
 */
export function safeHttpUrl(raw: string | null | undefined): string | null {
  const trimmed = raw?.trim();
  if (!trimmed) return null;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  // Credentials in a link are both a leak and a classic disguise (https://bank.example@evil.example).
  if (url.username || url.password) return null;
  return url.href.replace(
    LINK_BREAKERS,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}

/**
 * `<url|label>` when `url` is an acceptable http(s) URL, else the label as plain text: a link
 * from input can neither point anywhere but the web nor carry markup in its label.
 */
export function slackLink(url: string | null | undefined, label: string): string {
  const safe = safeHttpUrl(url);
  return safe ? `<${escapeMrkdwn(safe)}|${escapeMrkdwn(label)}>` : escapeMrkdwn(label);
}

/** What to call a person: the name on their profile, their handle, else what Slack sent. */
export function displayName(profile: Pick<SlackUser, 'realName' | 'name'> | null, fallback: string): string {
  return profile?.realName ?? profile?.name ?? fallback;
}

/** A moment as people in `timeZone` read it, with the zone named: "2026-12-02 03:10 UTC". */
export function formatTime(at: Date, timeZone: string): string {
  return format(new TZDate(at, timeZone), 'yyyy-MM-dd HH:mm zzz');
}
