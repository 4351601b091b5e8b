import { z } from 'zod';
import { makeEvent } from '../../canonical/index.js';
import type { PollingTriggerSpec, PollPage } from '../sdk/index.js';
import type { NetSuiteCredentials } from './credentials.js';
import { type NetSuiteRecordChanged, netsuiteRecordChangedEvent } from './events.js';
import type { NetSuiteSettings } from './settings.js';
import { type NetSuiteContext, SUITEQL_PATH } from './transport.js';

const rowSchema = z.looseObject({
  id: z.string(),
  type: z.string(),
  lastmodifieddate: z.string(),
  externalid: z.string().optional(),
  tranid: z.string().optional(),
});
const pageSchema = z.object({ hasMore: z.boolean(), items: z.array(rowSchema) });

/** A cursor is the last change applied: `<lastmodifieddate>|<id>`; a bare instant means "after it". */
export function parseCursor(cursor: string): { at: string; id: number } {
  const [at = '', id] = cursor.split('|');
  return { at, id: id === undefined ? Number.POSITIVE_INFINITY : Number(id) };
}

/** `2026-03-02T09:00:00Z` → `2026-03-02 09:00:00` for TO_TIMESTAMP. */
function suiteqlTimestamp(iso: string): string {
  return iso.replace('T', ' ').replace(/(\.\d+)?Z$/, '');
}

export function changesQuery(settings: NetSuiteSettings, at: string): string {
  const order = settings.changes.orderById ? 'lastmodifieddate, id' : 'lastmodifieddate';
  return (
    'SELECT id, type, tranid, externalid, lastmodifieddate FROM transaction ' +
    `WHERE lastmodifieddate >= TO_TIMESTAMP('${suiteqlTimestamp(at)}', 'YYYY-MM-DD HH24:MI:SS') ORDER BY ${order}`
  );
}

const after = (row: z.infer<typeof rowSchema>, c: { at: string; id: number }) =>
  row.lastmodifieddate > c.at || (row.lastmodifieddate === c.at && Number(row.id) > c.id);

/**
 * Polls SuiteQL for transactions changed since the cursor. `>=` on the instant plus the id tie-break
 * means a change in the same second as the cursor is neither lost nor repeated; offset paging walks
 * past rows already applied when many share one instant.
 */
export async function pollChanges(ctx: NetSuiteContext, cursor: string): Promise<PollPage<NetSuiteRecordChanged>> {
  const from = parseCursor(cursor);
  const limit = ctx.settings.changes.pageSize;
  for (let offset = 0; ; offset += limit) {
    const res = await ctx.http.request({
      method: 'POST',
      path: SUITEQL_PATH,
      query: { limit, offset },
      headers: { prefer: 'transient' },
      body: { q: changesQuery(ctx.settings, from.at) },
      // A query changes nothing.
      idempotent: true,
      operation: 'changes.poll',
    });
    const page = pageSchema.parse(res.body);
    const fresh = page.items
      .filter((r) => after(r, from))
      .sort((a, b) =>
        a.lastmodifieddate === b.lastmodifieddate ? Number(a.id) - Number(b.id) : a.lastmodifieddate < b.lastmodifieddate ? -1 : 1,
      );
    const last = fresh.at(-1);
    if (last || !page.hasMore) {
      return {
        items: fresh.map((r) => ({
          type: r.type,
          id: r.id,
          lastModified: r.lastmodifieddate,
          ...(r.externalid ? { externalId: r.externalid } : {}),
          ...(r.tranid ? { tranId: r.tranid } : {}),
        })),
        cursor: last ? `${last.lastmodifieddate}|${last.id}` : cursor,
        more: page.hasMore,
      };
    }
  }
}

export const netsuiteChangesTrigger: PollingTriggerSpec<NetSuiteSettings, NetSuiteCredentials, NetSuiteRecordChanged> = {
  kind: 'polling',
  intervalMs: 60_000,
  initialCursor: (ctx) => ctx.settings.changes.since,
  poll: pollChanges,
  map: (change, ctx) => [
    makeEvent(
      {
        type: netsuiteRecordChangedEvent.type,
        source: `crossdock://connector/netsuite/${ctx.instance}`,
        subject: `netsuite/${change.type}/${change.id}`,
        partitionkey: `netsuite:${change.id}`,
        // The same change seen twice (a repeated page) carries the same key.
        idempotencykey: `netsuite:${ctx.instance}:${change.id}:${change.lastModified}`,
        data: change,
      },
      ctx.clock.now(),
    ),
  ],
};
