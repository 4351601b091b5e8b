import { describe, expect, it } from 'vitest';
import { Address } from './address.js';
import { Gln, Gtin, gs1CheckDigitValid, Sscc } from './gs1.js';
import { Money } from './money.js';
import { Refs, Timestamp, TimeZone } from './primitives.js';
import { Quantity, SignedQuantity } from './quantity.js';
import { ItemRef, PartyRef } from './refs.js';

describe('Money', () => {
  it.each(['0', '12.5', '-12.50', '1234567.1234', '158.9500'])('accepts %s', (amount) => {
    expect(Money.safeParse({ amount, currency: 'USD' }).success).toBe(true);
  });

  it.each(['12.12345', '1e3', '01.5', '12.', '.5', ' 1', '1,000.00', ''])('rejects amount %j', (amount) => {
    expect(Money.safeParse({ amount, currency: 'USD' }).success).toBe(false);
  });

  it('never accepts a float, even a whole one', () => {
    expect(Money.safeParse({ amount: 12.5, currency: 'USD' }).success).toBe(false);
    expect(Money.safeParse({ amount: 12, currency: 'USD' }).success).toBe(false);
  });

  it.each(['usd', 'US', 'USDT', ''])('rejects currency %j', (currency) => {
    expect(Money.safeParse({ amount: '1', currency }).success).toBe(false);
  });

  it('rejects fields it does not know', () => {
    expect(Money.safeParse({ amount: '1', currency: 'USD', rate: '1.1' }).success).toBe(false);
  });
});

describe('Quantity', () => {
  it('is a decimal string with an upper-case unit', () => {
    expect(Quantity.parse({ value: '2.5', uom: 'KGM' })).toEqual({ value: '2.5', uom: 'KGM' });
    expect(Quantity.safeParse({ value: 2, uom: 'EA' }).success).toBe(false);
    expect(Quantity.safeParse({ value: '2', uom: 'ea' }).success).toBe(false);
  });

  it('cannot be negative, while a signed quantity can', () => {
    expect(Quantity.safeParse({ value: '-1', uom: 'EA' }).success).toBe(false);
    expect(SignedQuantity.safeParse({ value: '-1', uom: 'EA' }).success).toBe(true);
  });
});

describe('GS1 identifiers', () => {
  it.each(['4006381333931', '036000291452', '14006381333938', '96385074'])('accepts GTIN %s', (gtin) => {
    expect(Gtin.safeParse(gtin).success).toBe(true);
  });

  it('rejects a GTIN with a wrong check digit, naming the check digit', () => {
    const result = Gtin.safeParse('4006381333932');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/check digit/);
  });

  it.each(['123456789', '40063813339311', 'ABCDEFGHIJKLM', '400638133393'])('rejects GTIN %s (length or characters)', (gtin) => {
    expect(Gtin.safeParse(gtin).success).toBe(false);
  });

  it('checks GLN and SSCC with the same mod-10 rule', () => {
    expect(Gln.safeParse('0614141000012').success).toBe(true);
    expect(Gln.safeParse('0614141000013').success).toBe(false);
    expect(Sscc.safeParse('000614141000000014').success).toBe(true);
    expect(Sscc.safeParse('000614141000000015').success).toBe(false);
    expect(gs1CheckDigitValid('')).toBe(false);
  });
});

describe('scalars', () => {
  it('requires a zone on timestamps and accepts offsets as sources send them', () => {
    expect(Timestamp.safeParse('2008-01-10T11:00:00-05:00').success).toBe(true);
    expect(Timestamp.safeParse('2023-09-02T17:49:38.5Z').success).toBe(true);
    expect(Timestamp.safeParse('2017-03-22T16:28:02').success).toBe(false);
  });

  it('accepts known IANA zones only', () => {
    expect(TimeZone.safeParse('America/Chicago').success).toBe(true);
    expect(TimeZone.safeParse('UTC').success).toBe(true);
    expect(TimeZone.safeParse('Mars/Olympus_Mons').success).toBe(false);
    expect(TimeZone.safeParse('EST5EDT').success).toBe(false);
  });

  it('keeps external ids as strings and refuses numbers', () => {
    expect(Refs.parse({ shopify: '450789469' })).toEqual({ shopify: '450789469' });
    expect(Refs.safeParse({ shopify: 450789469 }).success).toBe(false);
    expect(Refs.safeParse({ 'Shopify Store': '1' }).success).toBe(false);
    expect(Refs.parse(undefined)).toEqual({});
  });

  it('wants ISO country codes in addresses', () => {
    expect(Address.safeParse({ country: 'US' }).success).toBe(true);
    expect(Address.safeParse({ country: 'USA' }).success).toBe(false);
  });
});

describe('references', () => {
  it('need at least one identifier', () => {
    expect(ItemRef.safeParse({ description: 'a pen' }).success).toBe(false);
    expect(ItemRef.safeParse({ customerItemNumber: 'ACME-1' }).success).toBe(true);
    expect(PartyRef.safeParse({}).success).toBe(false);
    expect(PartyRef.safeParse({ refs: {} }).success).toBe(false);
    expect(PartyRef.safeParse({ refs: { salesforce: '001' } }).success).toBe(true);
  });
});
