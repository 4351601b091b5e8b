import { z } from 'zod';

export const wmsSettingsSchema = z.object({
  /** The 3PL API's base URL (`https://api.example-3pl.com`, or the simulator's). */
  baseUrl: z.url(),
  /** Warehouse code used when neither the call nor the order names one. */
  defaultWarehouse: z.string().min(1).max(32).default('WH1'),
  /**
   * Our side of the API key's token bucket. The 3PL allows a burst of 20 refilling 10 per second
   * (docs/sim/wms-api.md "Rate limit"); we keep 10 % below it because the two buckets start and
   * refill at slightly different instants, and a call sent on our refill may reach theirs just before.
   */
  rateLimit: z.object({ perSecond: z.number().positive(), burst: z.number().int().positive() }).default({ perSecond: 9, burst: 18 }),
  /** Webhooks whose signed time `t` is further than this from our clock are refused (replay guard). */
  webhookToleranceSeconds: z.number().int().positive().default(300),
  timeoutMs: z.number().int().positive().default(30_000),
});
export type WmsSettings = z.output<typeof wmsSettingsSchema>;
