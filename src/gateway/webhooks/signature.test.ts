import { describe, expect, it } from 'vitest';
import { computeSignature, signatureHeader, verifySignature } from './signature.js';

const secret = 'whsec_test_secret_of_enough_length';
const body = '{"id":"E1","type":"crossdock.order.shipped.v1"}';

describe('webhook signatures', () => {
  it('verifies a header made for the same body and secret', () => {
    const header = signatureHeader([secret], 1_800_000_000, body);
    expect(header).toBe(`t=1800000000,v1=${computeSignature(secret, 1_800_000_000, body)}`);
    expect(verifySignature({ secret, header, body, nowSeconds: 1_800_000_010 })).toEqual({ ok: true, timestamp: 1_800_000_000 });
  });

  it('refuses a changed body, another secret, and a stale timestamp', () => {
    const header = signatureHeader([secret], 1_800_000_000, body);
    expect(verifySignature({ secret, header, body: `${body} `, nowSeconds: 1_800_000_000 })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature({ secret: 'other', header, body, nowSeconds: 1_800_000_000 })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature({ secret, header, body, nowSeconds: 1_800_000_301 })).toEqual({ ok: false, reason: 'stale' });
    expect(verifySignature({ secret, header: 'v1=abc', body })).toEqual({ ok: false, reason: 'malformed' });
  });

  it('accepts either secret while one is rotated', () => {
    const header = signatureHeader(['new-secret', secret], 1_800_000_000, body);
    expect(verifySignature({ secret, header, body, nowSeconds: 1_800_000_000 }).ok).toBe(true);
    expect(verifySignature({ secret: 'new-secret', header, body, nowSeconds: 1_800_000_000 }).ok).toBe(true);
  });
});
