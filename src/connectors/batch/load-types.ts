import { inventoryLoad } from './inventory.load.js';
import { itemLoad } from './item.load.js';
import type { BatchLoadType, BatchLoadTypeName } from './load-type.js';
import { priceLoad } from './price.load.js';

/** Every batch load type, by the name `crossdock batch load --type` takes. */
export const batchLoadTypes: Readonly<Record<BatchLoadTypeName, BatchLoadType>> = {
  item: itemLoad,
  price: priceLoad,
  inventory: inventoryLoad,
};
