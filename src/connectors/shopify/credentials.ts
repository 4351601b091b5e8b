import { z } from 'zod';
import { ConnectorErrors, defineCredentials } from '../sdk/index.js';
import { graphql } from './transport.js';

/** An Admin API access token (custom app) and the app's client secret, which keys the webhook HMAC. */
export const shopifyCredentialsSchema = z.object({
  accessToken: z.string().min(1),
  clientSecret: z.string().min(1),
});
export type ShopifyCredentials = z.infer<typeof shopifyCredentialsSchema>;

const shopSchema = z.object({ shop: z.object({ name: z.string() }) });

export const shopifyCredentials = defineCredentials<ShopifyCredentials>({
  kind: 'shopify-admin-token',
  schema: shopifyCredentialsSchema,
  applier: (credentials) => ({
    apply(request) {
      request.headers['x-shopify-access-token'] = credentials.accessToken;
    },
  }),
  async test(ctx) {
    // The cheapest authenticated query: one object, cost 1.
    const result = await graphql(ctx, { query: '{ shop { name } }', cost: 1, operation: 'credentials.test', schema: shopSchema });
    if (result.shop.name.length === 0) throw ConnectorErrors.auth('Shopify answered without a shop name');
  },
});
