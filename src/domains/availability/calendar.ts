import type { ShippingCalendar } from '../../canonical/index.js';

/**
 * Dates of a warehouse's shipping calendar, worked out in the warehouse's IANA time zone with
 * Intl.DateTimeFormat (the runtime's tz database handles DST). Calendar dates are ISO strings;
 * arithmetic on them is done in UTC, where a day is always 24 hours.
 */

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The local calendar date and minute of the day of an instant in a time zone. */
export function localTime(instant: number, timeZone: string): { date: string; minutes: number } {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(instant))) parts[p.type] = p.value;
  return { date: `${parts.year}-${parts.month}-${parts.day}`, minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

function toUtcMs(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

export function addDays(date: string, days: number): string {
  return new Date(toUtcMs(date) + days * 86_400_000).toISOString().slice(0, 10);
}

export function weekday(date: string): (typeof WEEKDAYS)[number] {
  return WEEKDAYS[new Date(toUtcMs(date)).getUTCDay()] ?? 'sun';
}

function minutesOf(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

export function isShipDay(date: string, calendar: ShippingCalendar): boolean {
  return calendar.workingDays.includes(weekday(date)) && !calendar.holidays.some((h) => h.date === date);
}

/** The first ship day on or after `date` (a year of closed days means the calendar is wrong). */
export function nextShipDayFrom(date: string, calendar: ShippingCalendar): string {
  let d = date;
  for (let i = 0; i < 370; i++) {
    if (isShipDay(d, calendar)) return d;
    d = addDays(d, 1);
  }
  throw new Error(`no ship day within a year of ${date}: check the working days and holidays`);
}

/**
 * The day an order released at `instant` leaves the warehouse: today if today is a ship day and the
 * local time is before the cut-off, otherwise the next ship day.
 */
export function shipDate(instant: number, timeZone: string, calendar: ShippingCalendar): string {
  const local = localTime(instant, timeZone);
  if (isShipDay(local.date, calendar) && local.minutes < minutesOf(calendar.cutOffTime)) return local.date;
  return nextShipDayFrom(addDays(local.date, 1), calendar);
}

/**
 * The ship date of goods that arrive at `eta`: the next ship day after their arrival day, since
 * receiving and put-away take the rest of the arrival day.
 */
export function shipDateAfterArrival(eta: number, timeZone: string, calendar: ShippingCalendar): string {
  return nextShipDayFrom(addDays(localTime(eta, timeZone).date, 1), calendar);
}

/** Delivery after `days` carrier working days (Mon–Fri); 0 means the day it ships. */
export function deliveryDate(ship: string, days: number): string {
  let d = ship;
  let left = days;
  while (left > 0) {
    d = addDays(d, 1);
    const w = weekday(d);
    if (w !== 'sat' && w !== 'sun') left -= 1;
  }
  return d;
}
