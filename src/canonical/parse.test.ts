import { describe, expect, it } from 'vitest';
import { CrossdockError, Errors } from '../kernel/index.js';
import { CanonicalErrors } from './errors.js';
import { salesOrderExample } from './examples/index.js';
import { parseCanonical } from './parse.js';

function thrown(fn: () => unknown): CrossdockError {
  try {
    fn();
  } catch (err) {
    if (err instanceof CrossdockError) return err;
    throw err;
  }
  throw new Error('expected a throw');
}

describe('parseCanonical', () => {
  it('returns the parsed object with defaults filled', () => {
    const order = parseCanonical('salesorder.v1', salesOrderExample);
    expect(order.orderNumber).toBe('SO-1001');
    expect(order.lines[1]?.taxes).toEqual([]);
  });

  it('throws CD_ERR_VALIDATION naming the bad field path', () => {
    const order = structuredClone(salesOrderExample);
    const third = { ...order.lines[0], lineNumber: '3', quantity: { value: '1.5.0', uom: 'EA' } };
    const err = thrown(() => parseCanonical('salesorder.v1', { ...order, lines: [...order.lines, third] }));
    expect(Errors.validation.is(err)).toBe(true);
    expect(err.errorClass).toBe('permanent');
    expect(err.details.path).toBe('lines.2.quantity.value');
    expect(err.details.schemaId).toBe('salesorder.v1');
    expect(err.message).toContain('lines.2.quantity.value');
  });

  it('lists every issue, not only the first', () => {
    const err = thrown(() => parseCanonical('salesorder.v1', { ...salesOrderExample, currency: 'usd', orderDate: 'yesterday' }));
    const issues = err.details.issues;
    expect(Array.isArray(issues) ? issues.map((i: { path: string }) => i.path).sort() : []).toEqual(['currency', 'orderDate']);
  });

  it('reports a document that is not an object at the root', () => {
    const err = thrown(() => parseCanonical('item.v1', 'not an item'));
    expect(err.details.path).toBe('');
    expect(err.message).toContain('(root)');
  });

  it('refuses an unknown schema id with its own code', () => {
    const err = thrown(() => parseCanonical('salesorder.v9', {}));
    expect(CanonicalErrors.unknownSchema.is(err)).toBe(true);
    expect(err.details.known).toContain('salesorder.v1');
  });
});
