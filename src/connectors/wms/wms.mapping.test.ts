import { describe, expect, it } from 'vitest';
import { SalesOrderV1 } from '../../canonical/index.js';
import { positionFromWms } from './mappers/inventory.js';
import { releaseFromSalesOrder } from './mappers/release.js';
import { shipmentFromWms } from './mappers/shipment.js';
import { salesOrder } from './testing/harness.js';

describe('WMS mappers', () => {
  it('a released order read back from the warehouse maps to a shipment that names the same order, lines and address', () => {
    const order = SalesOrderV1.parse(
      salesOrder('SO-MAP-1', [
        ['SKU-A', 2],
        ['SKU-B', 5],
      ]),
    );
    const body = releaseFromSalesOrder(order, 'WH9');
    expect(body).toMatchObject({
      reference: 'SO-MAP-1',
      warehouse: 'WH9',
      lines: [
        { line_no: 1, sku: 'SKU-A', quantity: 2 },
        { line_no: 2, sku: 'SKU-B', quantity: 5 },
      ],
    });
    const wmsOrder = {
      ...body,
      id: 'ord_1',
      status: 'shipped',
      ship_to: body.ship_to,
      lines: body.lines.map((l) => ({ ...l, picked_quantity: l.quantity, shipped_quantity: l.quantity })),
      shipments: [],
      exceptions: [],
      created_at: '2026-01-05T10:00:00Z',
      updated_at: '2026-01-05T12:00:00Z',
      cancelled_at: null,
    };
    const shipment = shipmentFromWms(
      wmsOrder,
      {
        id: 'shp_1',
        carrier: 'DHL',
        service: 'EXPRESS',
        tracking_number: '1ZDHL0000100001',
        shipped_at: '2026-01-05T12:00:00Z',
        lines: body.lines.map((l) => ({
          line_no: l.line_no,
          sku: l.sku,
          quantity: l.quantity,
          lots: [{ lot: 'L1', quantity: l.quantity, expires_on: '2027-01-01' }],
        })),
      },
      'wh',
    );
    expect(shipment.orders[0]).toMatchObject({ id: order.id, refs: { wms: 'ord_1' } });
    expect(shipment.shipTo).toEqual(order.shipTo);
    expect(shipment.lines.map((l) => [l.orderLineNumber, l.item.sku, l.quantity.value, l.lots[0]?.expiryDate])).toEqual(
      order.lines.map((l) => [l.lineNumber, l.item.sku, l.quantity.value, '2027-01-01']),
    );
  });

  it('a fractional quantity is refused rather than rounded', () => {
    const order = SalesOrderV1.parse(salesOrder('SO-MAP-2'));
    const half = { ...order, lines: [{ ...order.lines[0]!, quantity: { value: '1.5', uom: 'EA' } }] };
    expect(() => releaseFromSalesOrder(half, 'WH1')).toThrow(
      expect.objectContaining({ code: 'CD_ERR_CONNECTOR_MAPPING', details: { path: 'order.lines.0.quantity.value' } }),
    );
  });

  it('an inventory row maps damaged stock to quality hold and keeps the 3PL’s available figure', () => {
    const p = positionFromWms(
      {
        sku: 'S',
        location: 'WH1',
        on_hand: 10,
        allocated: 3,
        available: 7,
        damaged: 2,
        lots: [{ lot: 'L', quantity: 10, expires_on: null }],
        updated_at: '2026-01-05T10:00:00Z',
      },
      '2026-01-05T10:00:00Z',
      'wh',
    );
    expect(p).toMatchObject({
      onHand: { value: '10' },
      allocated: { value: '3' },
      qualityHold: { value: '2' },
      reportedAvailable: { value: '7' },
      lots: [{ lot: 'L' }],
    });
  });
});
