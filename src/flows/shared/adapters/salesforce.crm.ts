import { z } from 'zod';
import type { Case, Customer, SalesOrder } from '../../../canonical/index.js';
import { COLLECTION_LIMIT, GRAPH_SYNC_LIMIT } from '../../../connectors/salesforce/index.js';
import { ConnectorErrors } from '../../../connectors/sdk/index.js';
import type { CrmPort, Milestone } from '../ports.js';
import { Coalescer } from './coalesce.js';
import type { AnyInstance } from './invoke.js';
import { invoke } from './invoke.js';

const upserted = z.object({ id: z.string() }).loose();
const milestone = z.object({ orderId: z.string() }).loose();
const synced = z.object({ accountId: z.string(), orderId: z.string() }).loose();
const syncedMany = z.object({
  outcomes: z.array(
    z.union([
      z.object({ orderId: z.string(), ok: z.literal(true) }).loose(),
      z.object({ orderId: z.string(), ok: z.literal(false), message: z.string(), errorCodes: z.array(z.string()) }),
    ]),
  ),
});
const postedMany = z.object({
  outcomes: z.array(
    z.union([
      z.object({ orderId: z.string(), ok: z.literal(true), salesforceId: z.string() }),
      z.object({ orderId: z.string(), ok: z.literal(false), notFound: z.boolean(), message: z.string(), errorCodes: z.array(z.string()) }),
    ]),
  ),
});

export interface SalesforceCrmOptions {
  /** The Order `Status` picklist value per milestone (orgs name them differently). */
  statuses?: Partial<Record<Milestone['status'], string>>;
}

interface MilestoneInput {
  orderId: string;
  orderStatus: string;
  note?: string;
}

interface SyncInput {
  customer: Customer;
  order: SalesOrder;
  milestone?: Omit<MilestoneInput, 'orderId'>;
}

/** How long a write waits for others to share its request (ms): nothing, next to a CRM's own latency. */
const BATCH_WINDOW_MS = 5;

const refusal = (o: { message: string; errorCodes: string[]; notFound?: boolean }) =>
  (o.notFound ? ConnectorErrors.notFound : ConnectorErrors.rejected)(o.message, { errorCodes: o.errorCodes });

const answeredFor = <T>(outcomes: readonly T[], items: readonly unknown[], operation: string): readonly T[] => {
  if (outcomes.length !== items.length)
    throw ConnectorErrors.mapping(`${operation} answered ${outcomes.length} outcomes for ${items.length} items`);
  return outcomes;
};

/** The CRM port on the Salesforce connector: Account and Order upserts (one request), milestones (batched), Cases. */
export function salesforceCrm(instance: AnyInstance, options: SalesforceCrmOptions = {}): CrmPort {
  // Milestones: one sObject Collections PATCH per batch (`milestones.post-many`), an order once per request.
  const milestones = new Coalescer<MilestoneInput>({
    windowMs: BATCH_WINDOW_MS,
    max: COLLECTION_LIMIT,
    keys: (m) => [m.orderId],
    sendOne: async (m) => void (await invoke(instance, 'milestones.post', m, milestone)),
    async sendMany(items) {
      const r = await invoke(instance, 'milestones.post-many', { milestones: items }, postedMany);
      return answeredFor(r.outcomes, items, 'milestones.post-many').map((o) => (o.ok ? undefined : refusal(o)));
    },
  });
  // Syncs: one composite graph per batch (`orders.sync-many`), each order all-or-none; an order and
  // an Account once per request.
  const syncs = new Coalescer<SyncInput>({
    windowMs: BATCH_WINDOW_MS,
    max: GRAPH_SYNC_LIMIT,
    keys: (s) => [`order:${s.order.id}`, `account:${s.customer.id}`],
    sendOne: async (s) => void (await invoke(instance, 'orders.sync', s, synced)),
    async sendMany(items) {
      const r = await invoke(instance, 'orders.sync-many', { syncs: items }, syncedMany);
      return answeredFor(r.outcomes, items, 'orders.sync-many').map((o) => (o.ok ? undefined : refusal(o)));
    },
  });
  // What a milestone sets on the Order: the org's status value and the note.
  const orderFields = (m: Milestone): Omit<MilestoneInput, 'orderId'> => ({
    orderStatus: options.statuses?.[m.status] ?? m.status,
    ...(m.note ? { note: m.note.slice(0, 2000) } : {}),
  });
  return {
    system: 'salesforce',
    syncOrder(order: SalesOrder, customer: Customer, m?: Milestone) {
      // Account and Order (with its milestone) all-or-none, batched with other orders' syncs.
      return syncs.send({ customer, order, ...(m ? { milestone: orderFields(m) } : {}) });
    },
    milestone(orderId: string, m: Milestone) {
      return milestones.send({ orderId, ...orderFields(m) });
    },
    async openCase(kase: Case) {
      const r = await invoke(instance, 'cases.open', { case: kase }, upserted);
      return { id: r.id };
    },
  };
}
