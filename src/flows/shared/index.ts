export { type AnyInstance, invoke, isNotFound } from './adapters/invoke.js';
export { type NetSuiteErpOptions, netsuiteErp } from './adapters/netsuite.erp.js';
export { type SalesforceCrmOptions, salesforceCrm } from './adapters/salesforce.crm.js';
export { shopifyChannel } from './adapters/shopify.channel.js';
export { wmsWarehouse } from './adapters/wms.warehouse.js';
export { type CreditDecision, CreditLedger } from './credit.js';
export { absDifference, addDecimal, compareDecimal, fromUnits, multiplyDecimal, toUnits } from './decimal.js';
export { closeFailure, FLOW_FAILED_STEP } from './failure.js';
export {
  type ConnectedNetwork,
  connectNetwork,
  type InboundHooks,
  NETWORK_INSTANCES,
  type NetworkDeps,
  type NetworkEndpoints,
  topicFor,
} from './network/index.js';
export type {
  ChannelPort,
  CrmPort,
  ErpPort,
  EventsPort,
  ExceptionsPort,
  InStore,
  Milestone,
  StockLine,
  StockLineResult,
  StockPort,
  WarehousePort,
} from './ports.js';
export { type FlowPorts, isStockPort } from './wiring.js';
