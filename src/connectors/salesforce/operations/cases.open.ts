import { z } from 'zod';
import { CaseV1 } from '../../../canonical/index.js';
import { defineOperation } from '../../sdk/index.js';
import type { SalesforceCredentials } from '../credentials.js';
import { caseFields } from '../mappers/case.js';
import { OBJECT_TYPES, resolveId } from '../resolve.js';
import type { SalesforceSettings } from '../settings.js';
import { upsertByExternalId } from '../upsert.js';

export const casesOpenInput = z.object({ case: CaseV1 });

export const casesOpen = defineOperation<
  SalesforceSettings,
  SalesforceCredentials,
  z.infer<typeof casesOpenInput>,
  { id: string; created: boolean }
>({
  name: 'cases.open',
  description: 'Opens (or updates) a Case for a canonical Case, e.g. a shipment exception, on the customer Account.',
  input: casesOpenInput,
  async run(ctx, input) {
    const c = input.case;
    const accountId = c.customer ? await resolveId(ctx, OBJECT_TYPES.account, c.customer) : undefined;
    return upsertByExternalId(ctx, OBJECT_TYPES.case, c.id, caseFields(c, ctx.settings.externalIdField, accountId), 'cases.open');
  },
});
