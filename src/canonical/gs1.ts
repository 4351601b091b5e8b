import { z } from 'zod';

/**
 * GS1 identifiers all end in a mod-10 check digit: weights 3,1,3,1… from the digit left of the check
 * digit (GS1 General Specifications §7.9.1).
 */
export function gs1CheckDigitValid(digits: string): boolean {
  if (!/^\d{2,}$/.test(digits)) return false;
  let sum = 0;
  for (let i = digits.length - 2, weight = 3; i >= 0; i--, weight = weight === 3 ? 1 : 3) {
    sum += Number(digits[i]) * weight;
  }
  return (10 - (sum % 10)) % 10 === Number(digits[digits.length - 1]);
}

/** GTIN-8, GTIN-12 (UPC-A), GTIN-13 (EAN) or GTIN-14 (case/pallet level), check digit verified. */
export const Gtin = z
  .string()
  .regex(/^(\d{8}|\d{12}|\d{13}|\d{14})$/, 'expected a GTIN of 8, 12, 13 or 14 digits')
  .refine(gs1CheckDigitValid, 'GTIN check digit is wrong')
  .meta({ id: 'Gtin', format: 'gtin', description: 'GS1 GTIN-8/12/13/14 with a valid check digit' });

/** GS1 Global Location Number (13 digits): identifies parties and places in EDI (N1*ST*…*UL*). */
export const Gln = z
  .string()
  .regex(/^\d{13}$/, 'expected a 13-digit GLN')
  .refine(gs1CheckDigitValid, 'GLN check digit is wrong')
  .meta({ id: 'Gln', format: 'gln', description: 'GS1 Global Location Number with a valid check digit' });

/** Serial Shipping Container Code (18 digits): the label on a carton or pallet (X12 MAN*GM, EDIFACT GIN+BJ). */
export const Sscc = z
  .string()
  .regex(/^\d{18}$/, 'expected an 18-digit SSCC')
  .refine(gs1CheckDigitValid, 'SSCC check digit is wrong')
  .meta({ id: 'Sscc', format: 'sscc', description: 'GS1 SSCC-18 with a valid check digit' });
