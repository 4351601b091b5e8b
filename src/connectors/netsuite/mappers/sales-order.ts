import { type SalesOrder, type SalesOrderInput, SalesOrderV1 } from '../../../canonical/index.js';
import type { NsBody } from '../records.js';
import { recordExt } from './customer.js';
import { dateOf, itemRef, NETSUITE, num, recordRef } from './refs.js';

/** The salesOrder record for a SalesOrder (NetSuite REST API Browser: salesOrder; lines in the `item` sublist). */
export function salesOrderRecord(order: SalesOrder): NsBody {
  const memo = order.notes.map((n) => n.text).join('\n');
  return {
    entity: recordRef(order.customer, 'order.customer'),
    tranDate: dateOf(order.orderDate),
    ...(order.customerPoNumber ? { otherRefNum: order.customerPoNumber } : {}),
    ...(memo ? { memo } : {}),
    ...(order.requestedShipDate ? { shipDate: order.requestedShipDate } : {}),
    currencyCode: order.currency,
    item: {
      items: order.lines.map((line, i) => ({
        item: itemRef(line.item, `order.lines.${i}.item`),
        quantity: num(line.quantity.value),
        ...(line.unitPrice ? { rate: num(line.unitPrice.amount) } : {}),
        ...(line.description ? { description: line.description } : {}),
        custcol_crossdock_line: line.lineNumber,
      })),
    },
    ...recordExt(order.ext),
  };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : typeof v === 'number' ? String(v) : undefined);
const refId = (v: unknown): string | undefined => (v !== null && typeof v === 'object' && 'id' in v ? str(v.id) : undefined);

/**
 * A salesOrder as NetSuite sends it (`?expandSubResources=true`) back to a SalesOrder. Lines carry their
 * NetSuite item id in refs; fields the model has no place for stay in `ext.netsuite`.
 */
export function salesOrderFromRecord(record: NsBody, currency: string): SalesOrder {
  const placed = new Set(['id', 'externalId', 'links', 'entity', 'tranDate', 'otherRefNum', 'memo', 'item', 'currencyCode', 'shipDate']);
  const items =
    record.item !== null && typeof record.item === 'object' && 'items' in record.item && Array.isArray(record.item.items)
      ? record.item.items
      : [];
  const id = str(record.externalId) ?? `netsuite-${str(record.id) ?? 'new'}`;
  const input: SalesOrderInput = {
    id,
    refs: str(record.id) ? { [NETSUITE]: String(record.id) } : {},
    orderDate: `${str(record.tranDate) ?? '1970-01-01'}T00:00:00Z`,
    currency: str(record.currencyCode) ?? currency,
    ...(str(record.otherRefNum) ? { customerPoNumber: str(record.otherRefNum) } : {}),
    ...(str(record.shipDate) ? { requestedShipDate: str(record.shipDate) } : {}),
    ...(refId(record.entity) ? { customer: { refs: { [NETSUITE]: String(refId(record.entity)) } } } : {}),
    notes: str(record.memo) ? [{ kind: 'general', text: String(record.memo) }] : [],
    lines: items.map((raw: unknown, i: number) => {
      const line: NsBody = raw !== null && typeof raw === 'object' ? { ...raw } : {};
      const rate = typeof line.rate === 'number' ? line.rate : undefined;
      return {
        lineNumber: str(line.custcol_crossdock_line) ?? String(i + 1),
        item: { refs: { [NETSUITE]: refId(line.item) ?? 'unknown' } },
        quantity: { value: String(typeof line.quantity === 'number' ? line.quantity : 0), uom: 'EA' },
        ...(rate !== undefined ? { unitPrice: { amount: String(rate), currency: str(record.currencyCode) ?? currency } } : {}),
        ...(str(line.description) ? { description: str(line.description) } : {}),
      };
    }),
  };
  const rest = Object.fromEntries(Object.entries(record).filter(([k]) => !placed.has(k)));
  if (Object.keys(rest).length > 0) input.ext = { [NETSUITE]: { fields: rest } };
  return SalesOrderV1.parse(input);
}
