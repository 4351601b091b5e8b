import { z } from 'zod';

/** One Shopify store. Plan limits differ (standard 2000 points restoring 100/s; Plus 20000 at 1000/s). */
export const shopifySettingsSchema = z.object({
  /** `https://<shop>.myshopify.com` (or the simulator's URL). */
  shopUrl: z.url(),
  /** The calculated-cost bucket of the store's plan (https://shopify.dev/docs/api/usage/limits#graphql-admin-api-rate-limits). */
  throttle: z
    .object({ capacity: z.number().int().positive(), restorePerSecond: z.number().positive() })
    .default({ capacity: 2000, restorePerSecond: 100 }),
  /** Location used when an inventory position names no Shopify location (numeric id or GID). */
  defaultLocationId: z.string().min(1).optional(),
  /** Shopify's reason for inventory writes when the caller gives none. */
  inventoryReason: z.string().min(1).default('correction'),
  timeoutMs: z.number().int().positive().default(30_000),
});
export type ShopifySettings = z.output<typeof shopifySettingsSchema>;
