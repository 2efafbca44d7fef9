// "Next update at HH:mm": reading the time someone typed, and the default Failsafe proposes.
// Pure; times are wall-clock times in the stakeholder channel's time zone.
import { TZDate } from '@date-fns/tz';
import { addDays } from 'date-fns/addDays';
import { format } from 'date-fns/format';

/** 10:30, 9:05, 10.30, 1030, 10h30. */
const TIME = /^\s*([01]?\d|2[0-3])\s*[:.hH]?\s*([0-5]\d)\s*$/;
/**
 * A time earlier today by more than this means tomorrow: at 23:50 "00:20" is in half an
 * hour, while at 10:00 "09:30" is a mistake (already past), not tomorrow morning.
 */
export const WRAP_AFTER_MS = 12 * 3600_000;
const CRITICAL = new Set(['critical', 'sev1']);

export const clock = (at: Date, timeZone: string) => format(new TZDate(at, timeZone), 'HH:mm');

export type NextUpdate =
  | { ok: true; at: Date }
  | { ok: false; rule: 'time_format' | 'time_past'; message: string };

/**
 * The moment "HH:mm" means: today in `timeZone` when that is still ahead; tomorrow when today's
 * was more than 12 hours ago (a time just past midnight); otherwise it is in the past.
 */
export function resolveNextUpdate(input: string, now: Date, timeZone: string): NextUpdate {
  const match = TIME.exec(input);
  if (!match) {
    return {
      ok: false,
      rule: 'time_format',
      message: `"${input.trim().slice(0, 20)}" is not a time. Use 24-hour HH:mm in ${timeZone}, like ${clock(defaultNextUpdate(now, 'critical'), timeZone)}.`,
    };
  }
  const [hours, minutes] = [Number(match[1]), Number(match[2])];
  const today = atLocal(new TZDate(now, timeZone), hours, minutes, timeZone);
  if (today.getTime() > now.getTime()) return { ok: true, at: today };
  if (now.getTime() - today.getTime() > WRAP_AFTER_MS) {
    return { ok: true, at: atLocal(addDays(new TZDate(now, timeZone), 1), hours, minutes, timeZone) };
  }
  return {
    ok: false,
    rule: 'time_past',
    message: `${clock(today, timeZone)} has already passed (it is ${clock(now, timeZone)} in ${timeZone}). Promise a time ahead, like ${clock(defaultNextUpdate(now, 'critical'), timeZone)}.`,
  };
}

function atLocal(day: TZDate, hours: number, minutes: number, timeZone: string): Date {
  return new Date(
    new TZDate(day.getFullYear(), day.getMonth(), day.getDate(), hours, minutes, 0, timeZone).getTime(),
  );
}

/**
 * Failsafe's proposal: 30 minutes ahead for a critical incident (sev1), 60 otherwise, rounded
 * up to the next five-minute mark so stakeholders get a round time.
 */
export function defaultNextUpdate(now: Date, severity: string | null): Date {
  const minutes = severity && CRITICAL.has(severity.toLowerCase()) ? 30 : 60;
  const step = 5 * 60_000;
  return new Date(Math.ceil((now.getTime() + minutes * 60_000) / step) * step);
}

const CLAUSE =
  /(?:^|\s+)next\s+update\s+(?:is\s+)?(?:at|by|around|before)?\s*([0-2]?\d[:.h]?[0-5]\d)\s*(?:[A-Z]{2,5}\b)?\s*\.?\s*$/i;

/**
 * Splits a trailing "Next update at 10:30." off a text. The modal asks for that time in its
 * own field, so a pasted full update goes into the two fields it belongs in.
 */
export function splitNextUpdateClause(text: string): { body: string; time: string | null } {
  const match = CLAUSE.exec(text);
  if (!match) return { body: text.trim(), time: null };
  return { body: text.slice(0, match.index).trim(), time: normaliseTime(match[1] as string) };
}

/** "9.05" → "09:05"; null when it is not a time. */
export function normaliseTime(input: string): string | null {
  const match = TIME.exec(input);
  return match ? `${(match[1] as string).padStart(2, '0')}:${match[2]}` : null;
}
