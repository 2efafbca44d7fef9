// Times and durations as the draft shows them: UTC for the record, the team's zone beside it
// so nobody converts in their head. Pure.
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns/format';

const zoneNames = new Map<string, string>();

/** "BST", "CEST", "EDT" where the locale data has a short name; else "GMT+1". */
export function zoneAbbreviation(at: Date, timeZone: string): string {
  const key = `${timeZone}:${at.getUTCFullYear()}-${at.getUTCMonth()}-${at.getUTCDate()}`;
  const cached = zoneNames.get(key);
  if (cached) return cached;
  const name = (locale: string) =>
    new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
  // en-GB names European zones (BST, CEST), en-US the American ones (EDT, PST).
  let found = name('en-GB');
  if (/^GMT[+-]/.test(found)) found = name('en-US');
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') found = 'UTC';
  zoneNames.set(key, found);
  return found;
}

export const utcDate = (at: Date) => format(new TZDate(at, 'UTC'), 'yyyy-MM-dd');
export const utcClock = (at: Date) => format(new TZDate(at, 'UTC'), 'HH:mm:ss');
export const localClock = (at: Date, zone: string) => format(new TZDate(at, zone), 'HH:mm');
export const localDay = (at: Date, zone: string) => format(new TZDate(at, zone), 'EEEE d MMMM yyyy');
export const localDate = (at: Date, zone: string) => format(new TZDate(at, zone), 'yyyy-MM-dd');

/** "2026-07-14 02:58 UTC (03:58 BST)"; the local part is left out when the zone is UTC. */
export function bothZones(at: Date, zone: string): string {
  const utc = `${utcDate(at)} ${format(new TZDate(at, 'UTC'), 'HH:mm')} UTC`;
  const abbreviation = zoneAbbreviation(at, zone);
  if (abbreviation === 'UTC') return utc;
  const sameDay = localDate(at, zone) === utcDate(at);
  const local = sameDay ? localClock(at, zone) : format(new TZDate(at, zone), 'yyyy-MM-dd HH:mm');
  return `${utc} (${local} ${abbreviation})`;
}

/** "45 s", "12 min", "1 h 32 min", "2 d 3 h": precise enough to compare incidents. */
export function duration(ms: number): string {
  const seconds = Math.round(Math.abs(ms) / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

export const between = (from: Date, to: Date) => duration(to.getTime() - from.getTime());
