import { z } from 'zod';
import { Contact, Id } from '../../../canonical/index.js';
import { defineOperation } from '../../sdk/index.js';
import type { SalesforceCredentials } from '../credentials.js';
import { contactFields } from '../mappers/contact.js';
import { OBJECT_TYPES, resolveId } from '../resolve.js';
import type { SalesforceSettings } from '../settings.js';
import { upsertByExternalId } from '../upsert.js';

export const contactsUpsertInput = z.object({
  /** The crossdock id of the contact (the external-id value). */
  id: Id,
  contact: Contact,
  /** The crossdock id of the customer whose Account the contact belongs to. */
  customerId: Id.optional(),
});

export const contactsUpsert = defineOperation<
  SalesforceSettings,
  SalesforceCredentials,
  z.infer<typeof contactsUpsertInput>,
  { id: string; created: boolean }
>({
  name: 'contacts.upsert',
  description: "Creates or updates a Contact, linked to the customer's Account.",
  input: contactsUpsertInput,
  async run(ctx, input) {
    const accountId = input.customerId ? await resolveId(ctx, OBJECT_TYPES.account, { id: input.customerId }) : undefined;
    const fields = { ...contactFields(input.contact), ...(accountId ? { AccountId: accountId } : {}) };
    return upsertByExternalId(ctx, OBJECT_TYPES.contact, input.id, fields, 'contacts.upsert');
  },
});
