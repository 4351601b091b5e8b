import { z } from 'zod';

/** One NetSuite account. */
export const netsuiteSettingsSchema = z.object({
  /** `https://<account-id>.suitetalk.api.netsuite.com` (account id lower-case, `_` as `-`), or the simulator's URL. */
  baseUrl: z.url(),
  /**
   * Concurrent requests the account allows (Setup → Integration → Integration Management → Integration
   * Governance): 5 on the default tier, +10 per SuiteCloud Plus licence. Share it with other integrations.
   */
  concurrencyLimit: z.number().int().positive().default(5),
  changes: z
    .object({
      /** Rows per SuiteQL page (1–1000). */
      pageSize: z.number().int().min(1).max(1000).default(1000),
      /** Where the changes trigger starts when it has never run (ISO 8601 UTC). */
      since: z.iso.datetime().default('1970-01-01T00:00:00Z'),
      /** `ORDER BY lastmodifieddate, id` (SuiteQL); false orders by lastmodifieddate alone, for engines that take one key. */
      orderById: z.boolean().default(true),
    })
    .prefault({}),
  timeoutMs: z.number().int().positive().default(60_000),
});
export type NetSuiteSettings = z.output<typeof netsuiteSettingsSchema>;
