import { z } from 'zod';

/** Messages between the flows benchmark and the load network's process (load-network.process.ts). */
export const LoadNetworkRequest = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ship'), id: z.number(), hookUrl: z.string() }),
  z.object({ type: z.literal('counts'), id: z.number() }),
  z.object({ type: z.literal('close'), id: z.number() }),
]);
export type LoadNetworkRequest = z.infer<typeof LoadNetworkRequest>;

export const NetworkInfoSchema = z.object({
  netsuite: z.object({ url: z.string(), credentials: z.unknown() }),
  wms: z.object({ url: z.string(), apiKey: z.string(), webhookSecret: z.string() }),
  salesforce: z.object({ url: z.string(), clientId: z.string(), clientSecret: z.string() }),
  shopify: z.object({ url: z.string(), accessToken: z.string(), clientSecret: z.string() }),
});

export const LoadNetworkCounts = z.object({
  erpOrders: z.number(),
  invoices: z.number(),
  wmsOrders: z.number(),
  shipped: z.number(),
  /** CPU the simulators' process has used since it started (user + system), in ms. */
  cpuMs: z.number(),
});
export type LoadNetworkCounts = z.infer<typeof LoadNetworkCounts>;

export const LoadNetworkReply = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), info: NetworkInfoSchema }),
  z.object({ type: z.literal('reply'), id: z.number(), counts: LoadNetworkCounts.optional() }),
]);
export type LoadNetworkReply = z.infer<typeof LoadNetworkReply>;
