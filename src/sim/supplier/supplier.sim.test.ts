import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SupplierSim, startSupplierSim } from './supplier.sim.js';
import { readX12, writeX12 } from './x12.js';

let sim: SupplierSim;
let dir: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cd-supplier-'));
  sim = await startSupplierSim({ ediDir: dir, ids: { supplier: 'ACME', buyer: 'CROSSDOCK' } });
});
afterEach(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

const call = (method: string, path: string, body?: unknown, key = sim.apiKey) =>
  fetch(`${sim.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });

const order = { poNumber: 'PO-1', buyer: 'CROSSDOCK', shipTo: 'DC1', lines: [{ line: '1', item: 'A', quantity: '5', unitPrice: '1.10' }] };

describe('supplier simulator: portal', () => {
  it('takes a PO once, answers with ack, ASN and invoice documents, and refuses to cancel after shipping', async () => {
    expect((await call('POST', '/v1/purchase-orders', order, 'wrong')).status).toBe(401);
    expect((await call('POST', '/v1/purchase-orders', { ...order, lines: [] })).status).toBe(422);
    expect((await call('POST', '/v1/purchase-orders', order)).status).toBe(201);
    expect((await call('POST', '/v1/purchase-orders', order)).status).toBe(200);
    sim.setBehaviour('PO-1', { ship: { A: { quantity: '4' } }, invoiceTotalDelta: '0.01' });
    sim.acknowledge('PO-1');
    sim.ship('PO-1');
    expect((await call('POST', '/v1/purchase-orders/PO-1/cancel')).status).toBe(409);
    sim.invoice('PO-1');
    const docs = (await (await call('GET', '/v1/documents?after=0')).json()) as {
      data: Array<{ type: string; body: Record<string, unknown> }>;
      next: number;
    };
    expect(docs.data.map((d) => d.type)).toEqual(['ack', 'asn', 'invoice']);
    expect(docs.data[2]?.body).toMatchObject({ total: '4.41', lines: [{ item: 'A', quantity: '4', unitPrice: '1.10' }] });
    const later = (await (await call('GET', `/v1/documents?after=${docs.next}`)).json()) as { data: unknown[] };
    expect(later.data).toEqual([]);
  });

  it('cancels an open PO; an unknown PO is 404', async () => {
    await call('POST', '/v1/purchase-orders', order);
    expect(((await (await call('POST', '/v1/purchase-orders/PO-1/cancel')).json()) as { status: string }).status).toBe('cancelled');
    expect((await call('POST', '/v1/purchase-orders/NOPE/cancel')).status).toBe(404);
  });
});

describe('supplier simulator: EDI', () => {
  it('reads 850s from its inbox (originals and cancellations) and writes 855/856/810 to its outbox', () => {
    const po850 = (purpose: string) =>
      writeX12(
        '850',
        [
          ['BEG', purpose, 'SA', 'PO-9', '', '20261122'],
          ['N1', 'ST', 'DC1', '92', 'DC1'],
          ['PO1', '1', '2', 'EA', '3.50', '', 'VP', 'B'],
        ],
        { sender: 'CROSSDOCK', receiver: 'ACME', control: 7, at: '2026-11-22T08:00:00Z' },
      );
    writeFileSync(join(dir, 'inbox', '850-PO-9-00.x12'), po850('00'));
    expect(sim.processEdiInbox()).toBe(1);
    expect(sim.state.orders.get('PO-9')).toMatchObject({
      via: 'edi',
      shipTo: 'DC1',
      lines: [{ item: 'B', quantity: '2', unitPrice: '3.50' }],
    });
    sim.setBehaviour('PO-9', { ack: { B: { status: 'changed', quantity: '1' } } });
    sim.acknowledge('PO-9');
    const [ack] = readdirSync(join(dir, 'outbox'));
    const segs = readX12(readFileSync(join(dir, 'outbox', ack ?? ''), 'utf8'));
    expect(segs.find((s) => s[0] === 'BAK')?.[2]).toBe('AC');
    expect(segs.find((s) => s[0] === 'ACK')?.slice(0, 3)).toEqual(['ACK', 'IC', '1']);
    // the ISA is exactly 106 characters: the terminator sits where a reader looks for it
    expect(readFileSync(join(dir, 'outbox', ack ?? ''), 'utf8').indexOf('~')).toBe(105);
    writeFileSync(join(dir, 'inbox', '850-PO-9-01.x12'), po850('01'));
    sim.processEdiInbox();
    expect(sim.state.orders.get('PO-9')?.status).toBe('cancelled');
  });
});
