import { z } from 'zod';
import { CurrencyCode } from './primitives.js';

/**
 * A monetary amount: decimal string with at most 4 decimals (sub-cent unit prices are common in
 * distribution; 4 places is what EDI and most ERPs carry) and its ISO 4217 currency. Never a float.
 */
export const AMOUNT_PATTERN = /^-?(0|[1-9]\d{0,17})(\.\d{1,4})?$/;

export const Amount = z.string().regex(AMOUNT_PATTERN, 'expected a decimal amount such as "-12.50" (at most 4 decimals)');

export const Money = z
  .strictObject({
    amount: Amount,
    currency: CurrencyCode,
  })
  .meta({ id: 'Money', description: 'decimal amount (string) and ISO 4217 currency' });
export type Money = z.infer<typeof Money>;
