import { edifactDespatchAdvice } from './edifact/desadv.map.js';
import { edifactInvoice } from './edifact/invoic.map.js';
import { edifactInventoryReport } from './edifact/invrpt.map.js';
import { edifactPurchaseOrder, edifactSalesOrder } from './edifact/orders.map.js';
import { edifactOrderResponse } from './edifact/ordrsp.map.js';
import type { EdiMap } from './engine/map-format.js';
import { MapRegistry } from './registry.js';
import { x12Acknowledgement855 } from './x12/ack855.map.js';
import { x12Asn856 } from './x12/asn856.map.js';
import { x12Inventory846 } from './x12/inventory846.map.js';
import { x12Invoice810 } from './x12/invoice810.map.js';
import { x12PurchaseOrder850, x12SalesOrder850 } from './x12/po850.map.js';
import { x12Shipment945 } from './x12/shipment945.map.js';
import { x12WarehouseOrder940 } from './x12/warehouse940.map.js';

/** Every map crossdock ships, in preference order (the first map for a document type is its default). */
export const BUILTIN_MAPS: readonly EdiMap[] = [
  x12SalesOrder850,
  x12PurchaseOrder850,
  x12Acknowledgement855,
  x12Asn856,
  x12Invoice810,
  x12Inventory846,
  x12WarehouseOrder940,
  x12Shipment945,
  edifactSalesOrder,
  edifactPurchaseOrder,
  edifactInvoice,
  edifactOrderResponse,
  edifactDespatchAdvice,
  edifactInventoryReport,
];

export function builtinMaps(): MapRegistry {
  return new MapRegistry(BUILTIN_MAPS);
}
