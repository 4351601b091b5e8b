import { describe, expect, it } from 'vitest';
import { ShippingCalendar } from '../../canonical/index.js';
import { deliveryDate, localTime, shipDate, shipDateAfterArrival } from './calendar.js';

const calendar = ShippingCalendar.parse({ cutOffTime: '15:00', holidays: [{ date: '2026-01-19' }] });
const at = (iso: string) => Date.parse(iso);

describe('shipping calendar in the warehouse time zone', () => {
  it('ships today before the local cut-off and the next working day after it', () => {
    // Chicago is UTC-6 in January: 15:00 local is 21:00Z.
    expect(shipDate(at('2026-01-05T20:59:00Z'), 'America/Chicago', calendar)).toBe('2026-01-05');
    expect(shipDate(at('2026-01-05T21:00:00Z'), 'America/Chicago', calendar)).toBe('2026-01-06');
  });

  it('uses the local date, not the UTC date', () => {
    // 03:00Z on the 6th is still the evening of the 5th in Chicago: after the cut-off, so the 6th.
    expect(localTime(at('2026-01-06T03:00:00Z'), 'America/Chicago')).toEqual({ date: '2026-01-05', minutes: 21 * 60 });
    // 20:00Z on the 5th is already 09:00 on the 6th in Auckland: before its cut-off, ships the 6th.
    expect(shipDate(at('2026-01-05T20:00:00Z'), 'Pacific/Auckland', calendar)).toBe('2026-01-06');
  });

  it('skips weekends and holidays', () => {
    // Friday after the cut-off; Monday the 19th is a holiday.
    expect(shipDate(at('2026-01-16T22:00:00Z'), 'America/Chicago', calendar)).toBe('2026-01-20');
    expect(shipDate(at('2026-01-17T15:00:00Z'), 'America/Chicago', calendar)).toBe('2026-01-20');
  });

  it('follows daylight saving time', () => {
    // DST began 2026-03-08 in the US: 15:00 CDT is 20:00Z, an hour earlier in UTC than in January.
    expect(shipDate(at('2026-03-09T19:59:00Z'), 'America/Chicago', calendar)).toBe('2026-03-09');
    expect(shipDate(at('2026-03-09T20:30:00Z'), 'America/Chicago', calendar)).toBe('2026-03-10');
  });

  it('ships goods in transit the working day after they arrive', () => {
    expect(shipDateAfterArrival(at('2026-01-07T14:00:00Z'), 'America/Chicago', calendar)).toBe('2026-01-08');
    expect(shipDateAfterArrival(at('2026-01-16T14:00:00Z'), 'America/Chicago', calendar)).toBe('2026-01-20');
  });

  it('counts transit in carrier working days', () => {
    expect(deliveryDate('2026-01-09', 1)).toBe('2026-01-12');
    expect(deliveryDate('2026-01-05', 3)).toBe('2026-01-08');
    expect(deliveryDate('2026-01-05', 0)).toBe('2026-01-05');
  });
});
