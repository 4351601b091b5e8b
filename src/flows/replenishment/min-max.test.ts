import { describe, expect, it } from 'vitest';
import { planMinMax, projected, roundUpTo } from './min-max.js';

const pos = (onHand: string, committed = '0', inTransit = '0', onOrder = '0') => ({ onHand, committed, inTransit, onOrder });

describe('min/max planning', () => {
  it('orders up to max when the projected position falls below min, in case packs', () => {
    const positions: Record<string, ReturnType<typeof pos>> = {
      'A|DC1': pos('5', '2'), // projected 3 < min 10 -> need 47 -> 48 in packs of 12
      'B|DC1': pos('4', '0', '3', '4'), // projected 11 >= min 10 -> nothing
      'C|DC2': pos('0.5'), // decimals: need 1.5 -> packs of 0.25
    };
    const lines = planMinMax(
      [
        { item: 'A', location: 'DC1', min: '10', max: '50', multiple: '12' },
        { item: 'B', location: 'DC1', min: '10', max: '50' },
        { item: 'C', location: 'DC2', min: '1', max: '2', multiple: '0.25' },
      ],
      (item, location) => positions[`${item}|${location}`] ?? pos('0'),
    );
    expect(lines).toEqual([
      { item: 'A', location: 'DC1', quantity: '48' },
      { item: 'C', location: 'DC2', quantity: '1.5' },
    ]);
  });

  it('counts stock on order and in transit, so a second review orders nothing twice', () => {
    const rule = { item: 'A', location: 'DC1', min: '10', max: '20' };
    expect(planMinMax([rule], () => pos('2'))).toEqual([{ item: 'A', location: 'DC1', quantity: '18' }]);
    expect(planMinMax([rule], () => pos('2', '0', '0', '18'))).toEqual([]);
  });

  it('computes projected and pack rounding exactly', () => {
    expect(projected(pos('10.5', '0.25', '1', '0.1'))).toBe('11.35');
    expect(roundUpTo('13', '6')).toBe('18');
    expect(roundUpTo('12', '6')).toBe('12');
    expect(roundUpTo('0.3', '0.1')).toBe('0.3');
  });
});
