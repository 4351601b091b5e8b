export { ConcurrencyGate } from './concurrency.js';
export { INVALID_LOGIN_DETAIL, netsuiteFaultResponse } from './errors.js';
export { type NetSuiteSim, type NetSuiteSimOptions, startNetSuiteSim } from './netsuite.sim.js';
export { RECORD_TYPES, type RecordTypeSpec } from './records.js';
export { NetSuiteStore, type NsRecord } from './store.js';
export type { TbaCredentials, TbaRejection } from './tba.js';
