import { describe, expect, it } from 'vitest';
import { stableJson } from './idempotency.js';

describe('stableJson', () => {
  it('writes equal bodies the same whatever their key order, and stays valid JSON', () => {
    const a = { b: [3, { y: 'é"', x: null }], a: { d: true, c: 1.5 }, e: '' };
    const b = { e: '', a: { c: 1.5, d: true }, b: [3, { x: null, y: 'é"' }] };
    expect(stableJson(a)).toBe(stableJson(b));
    expect(stableJson(a)).toBe('{"a":{"c":1.5,"d":true},"b":[3,{"x":null,"y":"é\\""}],"e":""}');
    expect(JSON.parse(stableJson(a))).toEqual(a);
  });

  it('keeps array order and tells different values apart', () => {
    expect(stableJson([1, 2])).not.toBe(stableJson([2, 1]));
    expect(stableJson({ a: 1 })).not.toBe(stableJson({ a: '1' }));
    expect(stableJson([])).toBe('[]');
    expect(stableJson({})).toBe('{}');
    expect(stableJson(undefined)).toBe('null');
  });
});
