import { z } from 'zod';
import { AdvanceShipNoticeV1, LocationRef } from '../../../canonical/index.js';
import { ConnectorErrors, defineOperation } from '../../sdk/index.js';
import type { WmsCredentials } from '../credentials.js';
import { asnBodyFromCanonical } from '../mappers/asn.js';
import type { WmsSettings } from '../settings.js';
import { call, type WmsContext, wmsPath } from '../transport.js';
import { listOf, wmsAsnSchema } from '../wire.js';

export const asnsCreateInput = z.object({
  asn: AdvanceShipNoticeV1,
  /** The receiving warehouse (its `code`); else the ASN's shipTo, else the settings' default. */
  location: LocationRef.optional(),
});

export interface AsnResult {
  externalId: string;
  reference: string;
  status: string;
}

/**
 * Announces inbound goods to the warehouse as an expected receipt (POST /v1/asns). Idempotent by the
 * ASN number, which the 3PL keeps unique: a retry looks it up (GET /v1/asns?reference=) first.
 */
export const asnsCreate = defineOperation<WmsSettings, WmsCredentials, z.infer<typeof asnsCreateInput>, AsnResult>({
  name: 'asns.create',
  description: 'Creates an expected receipt at the warehouse from a canonical AdvanceShipNotice.',
  input: asnsCreateInput,
  async run(ctx: WmsContext, input) {
    const location = input.location?.code ?? input.asn.shipTo?.code ?? ctx.settings.defaultWarehouse;
    const body = asnBodyFromCanonical(input.asn, location);
    if (body.reference.length > 100) throw ConnectorErrors.mapping('asn.asnNumber: at most 100 characters', { path: 'asn.asnNumber' });
    const toResult = (a: z.infer<typeof wmsAsnSchema>) => ({
      externalId: a.id,
      result: { externalId: a.id, reference: a.reference, status: a.status },
    });
    const outcome = await ctx.bindings.idempotentCreate<AsnResult>({
      connector: ctx.connector,
      instance: ctx.instance,
      objectType: 'asn',
      canonicalId: input.asn.id,
      externalKey: body.reference,
      lookup: async (reference) => {
        const found = await call(
          ctx,
          { method: 'GET', path: wmsPath('/asns'), query: { reference }, operation: 'asns.lookup' },
          listOf(wmsAsnSchema),
        );
        const asn = found.data[0];
        return asn ? toResult(asn) : undefined;
      },
      create: async (reference) =>
        toResult(
          await call(
            ctx,
            {
              method: 'POST',
              path: wmsPath('/asns'),
              body: { ...body, reference },
              headers: { 'idempotency-key': `crossdock:${ctx.instance}:asn:${input.asn.id}` },
              idempotent: true,
              operation: 'asns.create',
            },
            wmsAsnSchema,
          ),
        ),
    });
    return outcome.result;
  },
});
