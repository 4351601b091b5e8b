import { z } from 'zod';
import { NetworkInfoSchema } from '../flows-o2c-network.js';

/** Messages between the flows benchmark and the load network's process (load-network.process.ts). */
export const LoadNetworkRequest = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ship'), id: z.number(), hookUrl: z.string() }),
  z.object({ type: z.literal('counts'), id: z.number() }),
  z.object({ type: z.literal('close'), id: z.number() }),
]);
export type LoadNetworkRequest = z.infer<typeof LoadNetworkRequest>;

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
