export { type SalesforceError, salesforceFaultResponse } from './errors.js';
export { idChecksum, isRecordId, recordId } from './ids.js';
export { ApiUsage } from './limits.js';
export { JWT_BEARER_GRANT, SalesforceOAuth } from './oauth.js';
export { SOBJECTS, type SObjectDescribe } from './objects.js';
export { type SalesforceSim, type SalesforceSimOptions, startSalesforceSim } from './salesforce.sim.js';
export { SalesforceStore, type SfRecord } from './store.js';
