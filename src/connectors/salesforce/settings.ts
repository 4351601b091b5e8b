import { z } from 'zod';

/** One Salesforce org. */
export const salesforceSettingsSchema = z.object({
  /** The org's My Domain URL, `https://<domain>.my.salesforce.com` (or the simulator's URL); every data call goes here. */
  instanceUrl: z.url(),
  /**
   * The custom field flagged "External ID" on Account, Contact, Order and Case that holds the crossdock id
   * (https://help.salesforce.com/s/articleView?id=sf.custom_field_attributes.htm); upserts key on it.
   */
  externalIdField: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]*__c$/, 'a custom field API name ending in __c')
    .default('Crossdock_Id__c'),
  /** Calls per second we allow ourselves; Salesforce meters per 24 h, so this only smooths bursts. */
  rate: z.object({ perSecond: z.number().positive(), burst: z.number().int().positive() }).default({ perSecond: 25, burst: 25 }),
  /** How long every call pauses once the daily allocation is spent (REQUEST_LIMIT_EXCEEDED). */
  dailyLimitPauseMs: z.number().int().positive().default(300_000),
  /** Records per SOQL page asked for with `Sforce-Query-Options: batchSize` (200–2000). */
  queryBatchSize: z.number().int().min(200).max(2000).default(2000),
  timeoutMs: z.number().int().positive().default(30_000),
});
export type SalesforceSettings = z.output<typeof salesforceSettingsSchema>;
