/** replenishment: min/max per item x location and backorders -> purchase orders (procure-to-pay). */

export { type OrderLines, replenishmentForBackorder } from './from-orders.js';
export {
  MinMaxRule,
  type MinMaxRuleInput,
  type ProjectedPosition,
  planMinMax,
  projected,
  type ReplenishmentLine,
  roundUpTo,
} from './min-max.js';
export {
  type PurchaseOrderStarter,
  REPLENISHMENT,
  type ReplenishmentDeps,
  ReplenishmentInput,
  type ReplenishmentResult,
  replenishmentFlow,
  type SupplierCatalog,
  type SupplierSource,
} from './replenishment.flow.js';
export { backorderReplenishment, minMaxReplenishment, StaticSupplierCatalog } from './triggers.js';
