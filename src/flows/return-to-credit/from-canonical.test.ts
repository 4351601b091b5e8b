import { describe, expect, it } from 'vitest';
import { makeEvent, ReturnAuthorizationV1 } from '../../canonical/index.js';
import { returnRequestFromCanonical } from './from-canonical.js';

describe('return request from a canonical return.requested', () => {
  it('maps lines, derives unit prices exactly from line credit amounts, and routes CRM-born returns to the CRM', () => {
    const ra = ReturnAuthorizationV1.parse({
      id: 'ra-1',
      refs: { salesforce: '500xx0000001' },
      rmaNumber: 'RMA-77',
      customer: { number: 'C-9' },
      order: { number: 'SO-3' },
      requestedAt: '2026-11-22T08:00:00Z',
      returnTo: { code: 'DC2' },
      lines: [
        {
          lineNumber: '1',
          item: { sku: 'A' },
          quantity: { value: '4', uom: 'EA' },
          reasonCode: 'defective',
          creditAmount: { amount: '10.00', currency: 'EUR' },
        },
        {
          lineNumber: '2',
          item: { sku: 'B' },
          quantity: { value: '3', uom: 'EA' },
          reasonCode: 'no-longer-needed',
          creditAmount: { amount: '10.00', currency: 'EUR' },
        },
      ],
    });
    const envelope = makeEvent({
      type: 'crossdock.return.requested.v1',
      source: 'crossdock://connector/salesforce/org',
      partitionkey: 'RMA-77',
      data: ra,
    });
    expect(returnRequestFromCanonical(envelope, ra, 'DC1')).toEqual({
      returnId: 'RMA-77',
      source: { system: 'crm', ref: '500xx0000001' },
      order: 'SO-3',
      customer: 'C-9',
      location: 'DC2',
      currency: 'EUR',
      lines: [
        { line: '1', item: 'A', quantity: 4, unitPrice: '2.5000', reason: 'defective' },
        { line: '2', item: 'B', quantity: 3, unitPrice: '3.3333', reason: 'no-longer-needed' },
      ],
    });
  });
});
