import { z } from 'zod';
import { ConnectorErrors } from '../sdk/index.js';
import { idFromLocation, type NetSuiteContext, RECORD_PATH } from './transport.js';

export type NsBody = Record<string, unknown>;

const recordSchema = z.looseObject({ id: z.string() });

/**
 * Creates a record at most once (ARCHITECTURE §5.6): the crossdock id is the record's `externalId`;
 * the binding is written before the POST; a retry after an unknown outcome first reads
 * `GET /{type}/eid:{externalId}`. The new internal id comes from the 204's `Location`.
 */
export async function createRecord(
  ctx: NetSuiteContext,
  type: string,
  canonicalId: string,
  body: NsBody,
  operation: string,
): Promise<{ id: string; created: boolean }> {
  const result = await ctx.bindings.idempotentCreate<{ id: string }>({
    connector: ctx.connector,
    instance: ctx.instance,
    objectType: type,
    canonicalId,
    externalKey: canonicalId,
    lookup: async (externalKey) => {
      const found = await readRecord(ctx, type, `eid:${externalKey}`, operation);
      return found ? { externalId: found.id, result: { id: found.id } } : undefined;
    },
    create: async (externalKey) => {
      const res = await ctx.http.request({
        method: 'POST',
        path: `${RECORD_PATH}/${type}`,
        body: { ...body, externalId: externalKey },
        operation,
      });
      const id = idFromLocation(res.headers.location);
      return { externalId: id, result: { id } };
    },
  });
  return { id: result.externalId, created: result.created };
}

/** A record by internal id or `eid:<externalId>`, or undefined when NetSuite has none. */
export async function readRecord(ctx: NetSuiteContext, type: string, key: string, operation: string, expand = false) {
  try {
    const res = await ctx.http.request({
      method: 'GET',
      path: `${RECORD_PATH}/${type}/${encodeURIComponent(key).replace(/%3A/gi, ':')}`,
      ...(expand ? { query: { expandSubResources: true } } : {}),
      operation,
    });
    const parsed = recordSchema.safeParse(res.body);
    if (!parsed.success) throw ConnectorErrors.mapping(`NetSuite ${type} ${key} has no id`, { vendorBody: res.body });
    return parsed.data;
  } catch (err) {
    if (ConnectorErrors.notFound.is(err)) return undefined;
    throw err;
  }
}
