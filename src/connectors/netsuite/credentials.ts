import { z } from 'zod';
import { ConnectorErrors, defineCredentials } from '../sdk/index.js';
import { tbaAuthorization } from './oauth1.js';
import { RECORD_PATH } from './transport.js';

/** Token-based authentication keys: the integration record's consumer pair and a user's access token pair. */
export const netsuiteCredentialsSchema = z.object({
  /** The realm: the account id as NetSuite writes it, e.g. `1234567` or `1234567_SB1`. */
  accountId: z.string().regex(/^[0-9A-Z_]+$/, 'the account id in upper case, e.g. 1234567_SB1'),
  consumerKey: z.string().min(1),
  consumerSecret: z.string().min(1),
  tokenId: z.string().min(1),
  tokenSecret: z.string().min(1),
});
export type NetSuiteCredentials = z.output<typeof netsuiteCredentialsSchema>;

export const netsuiteCredentials = defineCredentials<NetSuiteCredentials>({
  kind: 'netsuite-tba',
  schema: netsuiteCredentialsSchema,
  // Every request is signed on its own (new nonce and timestamp, so a retry is signed afresh); there is no token to renew.
  applier: (credentials, { clock }) => ({
    apply(request) {
      request.headers.authorization = tbaAuthorization(credentials, request.method, request.url, clock.now());
    },
  }),
  async test(ctx) {
    // The cheapest signed call: one customer id (an empty account answers 200 too).
    const res = await ctx.http.request({
      method: 'GET',
      path: `${RECORD_PATH}/customer`,
      query: { limit: 1 },
      operation: 'credentials.test',
    });
    if (res.status !== 200) throw ConnectorErrors.auth(`NetSuite answered ${res.status} to a signed read`);
  },
});
