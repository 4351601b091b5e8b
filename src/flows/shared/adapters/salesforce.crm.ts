import { z } from 'zod';
import type { Case, Customer, SalesOrder } from '../../../canonical/index.js';
import type { CrmPort, Milestone } from '../ports.js';
import type { AnyInstance } from './invoke.js';
import { invoke } from './invoke.js';

const upserted = z.object({ id: z.string() }).loose();
const milestone = z.object({ orderId: z.string() }).loose();
const synced = z.object({ accountId: z.string(), orderId: z.string() }).loose();

export interface SalesforceCrmOptions {
  /** The Order `Status` picklist value per milestone (orgs name them differently). */
  statuses?: Partial<Record<Milestone['status'], string>>;
}

/** The CRM port on the Salesforce connector: Account and Order upserts (one request), milestones, Cases. */
export function salesforceCrm(instance: AnyInstance, options: SalesforceCrmOptions = {}): CrmPort {
  return {
    system: 'salesforce',
    async syncOrder(order: SalesOrder, customer: Customer) {
      // Account and Order in one all-or-none request.
      await invoke(instance, 'orders.sync', { customer, order }, synced);
    },
    async milestone(orderId: string, m: Milestone) {
      await invoke(
        instance,
        'milestones.post',
        { orderId, orderStatus: options.statuses?.[m.status] ?? m.status, ...(m.note ? { note: m.note.slice(0, 2000) } : {}) },
        milestone,
      );
    },
    async openCase(kase: Case) {
      const r = await invoke(instance, 'cases.open', { case: kase }, upserted);
      return { id: r.id };
    },
  };
}
