export {
  JWT_BEARER_GRANT,
  type SalesforceCredentials,
  salesforceCredentials,
  salesforceCredentialsSchema,
  salesforceTokenApplier,
} from './credentials.js';
export { type JwtBearerClaims, signJwtAssertion } from './jwt.js';
export { accountFromCustomer, customerFromAccount } from './mappers/account.js';
export { caseFields } from './mappers/case.js';
export { contactFields } from './mappers/contact.js';
export { SALESFORCE } from './mappers/fields.js';
export { orderFields } from './mappers/order.js';
export { accountsList, accountsListInput } from './operations/accounts.list.js';
export { accountsUpsert, accountsUpsertInput } from './operations/accounts.upsert.js';
export { casesOpen, casesOpenInput } from './operations/cases.open.js';
export { contactsUpsert, contactsUpsertInput } from './operations/contacts.upsert.js';
export { type MilestoneResult, milestonesPost, milestonesPostInput } from './operations/milestones.post.js';
export {
  COLLECTION_LIMIT,
  type MilestoneOutcome,
  type MilestonesPostManyResult,
  milestonesPostMany,
  milestonesPostManyInput,
} from './operations/milestones.post-many.js';
export { type OrderSyncResult, ordersSync, ordersSyncInput } from './operations/orders.sync.js';
export {
  GRAPH_SYNC_LIMIT,
  type OrderSyncOutcome,
  type OrdersSyncManyResult,
  ordersSyncMany,
  ordersSyncManyInput,
} from './operations/orders.sync-many.js';
export { ordersUpsert, ordersUpsertInput } from './operations/orders.upsert.js';
export { salesforceConnector } from './salesforce.connector.js';
export { type SalesforceSettings, salesforceSettingsSchema } from './settings.js';
export {
  DATA_PATH,
  parseLimitInfo,
  SALESFORCE_API_VERSION,
  salesforceApiUsage,
  salesforceClassify,
  salesforceFeedback,
} from './transport.js';
