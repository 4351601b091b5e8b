export {
  type DocumentType,
  type PortalDocument,
  PortalPurchaseOrder,
  SupplierBehaviour,
  type SupplierBehaviourInput,
  type SupplierOrder,
} from './model.js';
export { SupplierConflict, SupplierStore } from './store.js';
export { type SupplierSim, type SupplierSimOptions, startSupplierSim } from './supplier.sim.js';
export { readX12, writeX12 } from './x12.js';
