export { customerFromOrder, invoiceFor, orderAmount, shipmentCase } from './documents.js';
export { createOrderToCashFlow, type O2cDeps, O2cErrors, type O2cResult } from './order-to-cash.flow.js';
export { O2C_INBOUND_TYPES, OrderToCash, orderIdOfShipment } from './order-to-cash.service.js';
export { O2cPolicy, type O2cPolicyInput } from './policy.js';
export { HOLD_SIGNAL, Hold, HoldDecision, holdKey, O2C_FLOW, OrderHeldEvent, SHIPMENT_SIGNAL, ShipmentSignal } from './signals.js';
