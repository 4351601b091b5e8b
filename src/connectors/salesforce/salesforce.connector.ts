import { defineConnector } from '../sdk/index.js';
import { type SalesforceCredentials, salesforceCredentials } from './credentials.js';
import { accountsList } from './operations/accounts.list.js';
import { accountsUpsert } from './operations/accounts.upsert.js';
import { casesOpen } from './operations/cases.open.js';
import { contactsUpsert } from './operations/contacts.upsert.js';
import { milestonesPost } from './operations/milestones.post.js';
import { milestonesPostMany } from './operations/milestones.post-many.js';
import { ordersSync } from './operations/orders.sync.js';
import { ordersSyncMany } from './operations/orders.sync-many.js';
import { ordersUpsert } from './operations/orders.upsert.js';
import { type SalesforceSettings, salesforceSettingsSchema } from './settings.js';
import { SALESFORCE_SYSTEM, salesforceTransport } from './transport.js';

export const salesforceConnector = defineConnector<SalesforceSettings, SalesforceCredentials>({
  id: 'salesforce',
  version: '1.0.0',
  system: SALESFORCE_SYSTEM,
  description: 'Salesforce CRM: accounts, contacts and orders kept in step; shipment milestones and exception cases posted.',
  settings: salesforceSettingsSchema,
  credentials: salesforceCredentials,
  // Salesforce meters calls per rolling 24 h (Sforce-Limit-Info), not per second: the bucket only smooths bursts.
  rateBudget: (settings) => ({ kind: 'token-bucket', perSecond: settings.rate.perSecond, burst: settings.rate.burst }),
  transport: salesforceTransport,
  capabilities: [
    'accounts.upsert',
    'accounts.list',
    'contacts.upsert',
    'orders.upsert',
    'orders.sync',
    'cases.open',
    'milestones.post',
    'milestones.post-many',
  ],
  operations: {
    'accounts.upsert': accountsUpsert,
    'accounts.list': accountsList,
    'contacts.upsert': contactsUpsert,
    'orders.upsert': ordersUpsert,
    'orders.sync': ordersSync,
    'cases.open': casesOpen,
    'milestones.post': milestonesPost,
    'milestones.post-many': milestonesPostMany,
    'orders.sync-many': ordersSyncMany,
  },
  triggers: {},
});
