// Text that goes into Slack: anything that came from outside (alert titles, people's names,
// reasons typed into a modal) is escaped before it sits inside mrkdwn, so it shows as typed.
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import type { SlackUser } from '../adapters/slack.ts';

/** Slack mrkdwn treats &, < and > as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** What to call a person: the name on their profile, their handle, else what Slack sent. */
export function displayName(profile: Pick<SlackUser, 'realName' | 'name'> | null, fallback: string): string {
  return profile?.realName ?? profile?.name ?? fallback;
}

/** A moment as people in `timeZone` read it, with the zone named: "2026-12-02 03:10 UTC". */
export function formatTime(at: Date, timeZone: string): string {
  return format(new TZDate(at, timeZone), 'yyyy-MM-dd HH:mm zzz');
}
