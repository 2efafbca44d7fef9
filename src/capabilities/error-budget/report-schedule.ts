// When the weekly report is due: the configured weekday and time in defaults.time_zone. The
// evaluation cycle asks every 30 s; the report job's id is the slot, so it is sent once.
import { TZDate } from '@date-fns/tz';
import type { BudgetDeps } from './deps.ts';

/** A slot missed by more than this (every replica down) is skipped rather than sent late. */
export const REPORT_GRACE_MS = 6 * 3_600_000;

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** The latest slot at or before `now`, in `timeZone`. */
export function lastReportSlot(now: Date, day: string, time: string, timeZone: string): Date {
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const local = new TZDate(now.getTime(), timeZone);
  for (let back = 0; back <= 7; back++) {
    const candidate = new TZDate(
      local.getFullYear(),
      local.getMonth(),
      local.getDate() - back,
      hh,
      mm,
      timeZone,
    );
    if (WEEKDAYS[candidate.getDay()] === day && candidate.getTime() <= now.getTime())
      return new Date(candidate.getTime());
  }
  throw new Error(`no ${day} ${time} in the week before ${now.toISOString()}`);
}

export function dueReportSlot(deps: BudgetDeps, now: Date): Date | null {
  const { errorBudget, timeZone } = deps.catalog.catalog.defaults;
  const report = errorBudget.weeklyReport;
  if (!report) return null;
  const slot = lastReportSlot(now, report.day, report.time, timeZone);
  return now.getTime() - slot.getTime() < REPORT_GRACE_MS ? slot : null;
}
