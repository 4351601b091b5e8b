import { z } from 'zod';
import { defineCredentials } from '../sdk/index.js';
import { call, wmsPath } from './transport.js';
import { listOf, wmsOrderSchema } from './wire.js';

/** A bearer API key for calls and the account's webhook signing secret. */
export const wmsCredentialsSchema = z.object({
  apiKey: z.string().min(1),
  webhookSecret: z.string().min(1),
});
export type WmsCredentials = z.infer<typeof wmsCredentialsSchema>;

export const wmsCredentials = defineCredentials<WmsCredentials>({
  kind: 'wms-bearer-key',
  schema: wmsCredentialsSchema,
  applier: (credentials) => ({
    apply(request) {
      request.headers.authorization = `Bearer ${credentials.apiKey}`;
    },
  }),
  async test(ctx) {
    // The smallest authenticated read: one order at most. A bad key answers 401 → CD_ERR_CONNECTOR_AUTH.
    await call(
      ctx,
      { method: 'GET', path: wmsPath('/orders'), query: { limit: 1 }, operation: 'credentials.test' },
      listOf(wmsOrderSchema),
    );
  },
});
