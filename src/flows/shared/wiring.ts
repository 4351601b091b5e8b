import type { ChannelPort, CrmPort, ErpPort, StockPort, WarehousePort } from './ports.js';

/** The systems a hub's flows run on, built from its configured connectors (or simulators in the demo). */
export interface FlowPorts {
  erp: ErpPort;
  warehouse: WarehousePort;
  crm?: CrmPort;
  channels?: readonly ChannelPort[];
  /** Stock when the availability service is not running in this hub. */
  stock?: StockPort;
}

/** True when `value` has reserve/release/commit (the availability service or a stand-in). */
export function isStockPort(value: unknown): value is StockPort {
  return (
    typeof value === 'object' &&
    value !== null &&
    'reserve' in value &&
    typeof value.reserve === 'function' &&
    'release' in value &&
    typeof value.release === 'function' &&
    'commit' in value &&
    typeof value.commit === 'function'
  );
}
