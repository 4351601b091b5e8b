import type { SalesOrder } from '../../../canonical/index.js';
import { addressTo, extFields, type SObject } from './fields.js';

/**
 * Order header fields for a SalesOrder (https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_order.htm).
 * Orders are created `Draft` (Salesforce activates an order only once it has products); the hub moves
 * the status on with `milestones.post`.
 */
export function orderFields(order: SalesOrder, accountId: string, externalIdField: string): SObject {
  const description = order.notes.map((n) => n.text).join('\n');
  return {
    [externalIdField]: order.id,
    AccountId: accountId,
    EffectiveDate: order.orderDate.slice(0, 10),
    Status: 'Draft',
    ...(order.customerPoNumber ? { PoNumber: order.customerPoNumber } : {}),
    ...(description ? { Description: description } : {}),
    ...addressTo(order.shipTo, 'Shipping'),
    ...extFields(order.ext),
  };
}
