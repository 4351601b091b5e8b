import { z } from 'zod';
import { CustomerV1 } from '../../../canonical/index.js';
import { defineOperation } from '../../sdk/index.js';
import type { SalesforceCredentials } from '../credentials.js';
import { accountFromCustomer } from '../mappers/account.js';
import { OBJECT_TYPES } from '../resolve.js';
import type { SalesforceSettings } from '../settings.js';
import { upsertByExternalId } from '../upsert.js';

export const accountsUpsertInput = z.object({ customer: CustomerV1 });

export const accountsUpsert = defineOperation<
  SalesforceSettings,
  SalesforceCredentials,
  z.infer<typeof accountsUpsertInput>,
  { id: string; created: boolean }
>({
  name: 'accounts.upsert',
  description: 'Creates or updates the Account of a canonical Customer, keyed by the external-id field.',
  input: accountsUpsertInput,
  run: (ctx, { customer }) =>
    upsertByExternalId(
      ctx,
      OBJECT_TYPES.account,
      customer.id,
      accountFromCustomer(customer, ctx.settings.externalIdField),
      'accounts.upsert',
    ),
});
