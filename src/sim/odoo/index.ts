export { OdooException, odooFaultResponse } from './errors.js';
export type { OdooUser } from './jsonrpc.route.js';
export { type FieldDef, MODELS, type ModelDef } from './models.js';
export { type OdooSim, type OdooSimOptions, startOdooSim } from './odoo.sim.js';
export { OdooStore, odooDatetime } from './store.js';
