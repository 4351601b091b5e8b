import { z } from 'zod';
import { EdifactErrors } from './errors.js';
import { SyntaxErrors } from './syntax-codes.js';

/**
 * Service characters (ISO 9735 §5, "UNA service string advice"). `release` and `repetition` may be
 * absent: a space in their UNA position means "not used". The repetition separator only takes effect
 * in syntax version 4; in version 3 that UNA position is reserved and its character is ordinary data.
 */
export const separatorsSchema = z.object({
  component: z.string().length(1),
  element: z.string().length(1),
  decimal: z.string().length(1),
  release: z.string().length(1).optional(),
  repetition: z.string().length(1).optional(),
  segment: z.string().length(1),
});
export type Separators = z.infer<typeof separatorsSchema>;

/** Defaults when no UNA is present (ISO 9735: UNOA/UNOB level defaults). */
export const DEFAULT_SEPARATORS: Readonly<Separators> = Object.freeze({
  component: ':',
  element: '+',
  decimal: '.',
  release: '?',
  repetition: '*',
  segment: "'",
});

/**
 * Reads the six characters after "UNA". Rejects duplicates among the active service characters and
 * letters/digits, which would make segments unparseable.
 */
export function parseUna(una: string): Separators {
  if (una.length < 9 || !una.startsWith('UNA')) {
    throw EdifactErrors.una(`UNA must be "UNA" followed by six service characters, got ${JSON.stringify(una.slice(0, 9))}`, {
      syntaxError: SyntaxErrors.invalidAsServiceCharacter,
      tag: 'UNA',
    });
  }
  const [component, element, decimal, release, reserved, segment] = [...una.slice(3, 9)] as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const seps: Separators = {
    component,
    element,
    decimal,
    segment,
    ...(release === ' ' ? {} : { release }),
    ...(reserved === ' ' ? {} : { repetition: reserved }),
  };
  const active = [seps.component, seps.element, seps.segment, seps.release].filter((c): c is string => c !== undefined);
  if (new Set(active).size !== active.length) {
    throw EdifactErrors.una(`UNA declares the same character for two service roles: ${JSON.stringify(una.slice(0, 9))}`, {
      syntaxError: SyntaxErrors.invalidAsServiceCharacter,
      tag: 'UNA',
    });
  }
  for (const c of active) {
    if (/[A-Za-z0-9]/.test(c)) {
      throw EdifactErrors.una(`UNA declares a letter or digit (${JSON.stringify(c)}) as a service character`, {
        syntaxError: SyntaxErrors.invalidAsServiceCharacter,
        tag: 'UNA',
      });
    }
  }
  if (decimal !== '.' && decimal !== ',') {
    throw EdifactErrors.una(`UNA decimal mark must be "." or ",", got ${JSON.stringify(decimal)}`, {
      syntaxError: SyntaxErrors.invalidDecimalNotation,
      tag: 'UNA',
    });
  }
  return seps;
}

export function formatUna(seps: Separators): string {
  return `UNA${seps.component}${seps.element}${seps.decimal}${seps.release ?? ' '}${seps.repetition ?? ' '}${seps.segment}`;
}

export function sameSeparators(a: Separators, b: Separators): boolean {
  return (
    a.component === b.component &&
    a.element === b.element &&
    a.decimal === b.decimal &&
    a.release === b.release &&
    a.repetition === b.repetition &&
    a.segment === b.segment
  );
}
