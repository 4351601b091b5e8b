import { z } from 'zod';
import type { Customer } from '../../../canonical/index.js';
import { collect, defineOperation, paginate } from '../../sdk/index.js';
import type { SalesforceCredentials } from '../credentials.js';
import { customerFromAccount } from '../mappers/account.js';
import { sobjectSchema } from '../mappers/fields.js';
import type { SalesforceSettings } from '../settings.js';
import { type SalesforceContext, sfCall } from '../transport.js';

const ACCOUNT_FIELDS = [
  'Id',
  'Name',
  'AccountNumber',
  'Phone',
  'Description',
  'BillingStreet',
  'BillingCity',
  'BillingState',
  'BillingPostalCode',
  'BillingCountry',
  'ShippingStreet',
  'ShippingCity',
  'ShippingState',
  'ShippingPostalCode',
  'ShippingCountry',
  'LastModifiedDate',
];

export const accountsListInput = z.object({
  /** Only Accounts modified after this instant (a SOQL datetime literal is unquoted, RFC 3339). */
  modifiedSince: z.iso.datetime({ offset: true }).optional(),
  /** At most this many Accounts (SOQL LIMIT). */
  limit: z.number().int().positive().max(50_000).optional(),
  maxPages: z.number().int().positive().optional(),
});

const pageSchema = z.object({ done: z.boolean(), nextRecordsUrl: z.string().optional(), records: z.array(sobjectSchema) });

/** SOQL over Account, every page through `nextRecordsUrl` (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_query.htm). */
export const accountsList = defineOperation<SalesforceSettings, SalesforceCredentials, z.infer<typeof accountsListInput>, Customer[]>({
  name: 'accounts.list',
  description: 'Lists Accounts as canonical Customers (SOQL, all pages).',
  input: accountsListInput,
  async run(ctx: SalesforceContext, input) {
    const fields = [...ACCOUNT_FIELDS, ctx.settings.externalIdField].join(', ');
    const where = input.modifiedSince ? ` WHERE LastModifiedDate > ${input.modifiedSince}` : '';
    const soql = `SELECT ${fields} FROM Account${where} ORDER BY Id${input.limit !== undefined ? ` LIMIT ${input.limit}` : ''}`;
    const headers = { 'sforce-query-options': `batchSize=${ctx.settings.queryBatchSize}` };
    const pages = paginate(
      async (next) => {
        const { body } = await sfCall(
          ctx,
          next
            ? { method: 'GET', path: next, headers, operation: 'accounts.list' }
            : { method: 'GET', path: '/query', query: { q: soql }, headers, operation: 'accounts.list' },
          pageSchema,
        );
        return {
          items: body.records.map((r) => customerFromAccount(r, ctx.settings.externalIdField)),
          next: body.done ? undefined : body.nextRecordsUrl,
        };
      },
      input.maxPages !== undefined ? { maxPages: input.maxPages } : {},
    );
    return collect(pages);
  },
});
