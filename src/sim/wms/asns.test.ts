import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startWebhookSink, type WebhookSink } from '../kit/webhook-sink.js';
import { startWmsSim, type WmsSim } from './index.js';
import { callWms, verifyWmsSignature } from './testing.js';

let sim: WmsSim;
let sink: WebhookSink;
beforeEach(async () => {
  sim = await startWmsSim({ webhookRetryDelaysMs: [20] });
  sink = await startWebhookSink();
});
afterEach(async () => {
  await sim.close();
  await sink.close();
});

describe('WMS sim: receipts', () => {
  it('receives an ASN with discrepancies and reports received vs expected in receipt.completed', async () => {
    sim.subscribe(sink.url, ['receipt.completed']);
    const created = await callWms(sim.url, 'POST', '/v1/asns', {
      apiKey: sim.apiKey,
      body: {
        reference: 'PO-7788',
        location: 'WH1',
        supplier: 'Acme Packaging',
        lines: [
          { sku: 'SKU-A', quantity: 100, lot: 'L2026-01', expires_on: '2027-01-31' },
          { sku: 'SKU-B', quantity: 20 },
        ],
      },
    });
    expect(created.status).toBe(201);
    const asnId = z.object({ id: z.string() }).parse(created.body).id;

    const duplicate = await callWms(sim.url, 'POST', '/v1/asns', {
      apiKey: sim.apiKey,
      body: { reference: 'PO-7788', location: 'WH1', lines: [{ sku: 'X', quantity: 1 }] },
    });
    expect(duplicate.status).toBe(409);

    const received = await fetch(`${sim.url}/_sim/asns/${asnId}/receive`, {
      method: 'POST',
      body: JSON.stringify({ lines: [{ sku: 'SKU-A', received: 96, damaged: 2 }] }),
    });
    expect(received.status).toBe(200);
    const [delivery] = await sink.waitFor(1);
    expect(verifyWmsSignature(delivery!.rawBody, String(delivery!.headers['x-wms-signature']), sim.webhookSecret)).toBe(true);
    const event = JSON.parse(delivery!.rawBody);
    expect(event.type).toBe('receipt.completed');
    expect(event.data).toMatchObject({
      asn_id: asnId,
      reference: 'PO-7788',
      has_discrepancies: true,
      lines: [
        { sku: 'SKU-A', expected: 100, received: 96, damaged: 2, discrepancy: -4 },
        { sku: 'SKU-B', expected: 20, received: 20, damaged: 0, discrepancy: 0 },
      ],
    });
    const stock = await callWms(sim.url, 'GET', '/v1/inventory?sku=SKU-A', { apiKey: sim.apiKey });
    expect(stock.body).toMatchObject({
      data: [{ sku: 'SKU-A', location: 'WH1', on_hand: 94, damaged: 2, lots: [{ lot: 'L2026-01', quantity: 94 }] }],
    });
    const asn = await callWms(sim.url, 'GET', `/v1/asns/${asnId}`, { apiKey: sim.apiKey });
    expect(asn.body).toMatchObject({ status: 'received' });
  });
});
