import { z } from 'zod';
import type { Case, Customer, SalesOrder } from '../../../canonical/index.js';
import { COLLECTION_LIMIT, type MilestoneOutcome } from '../../../connectors/salesforce/index.js';
import { ConnectorErrors } from '../../../connectors/sdk/index.js';
import type { CrmPort, Milestone } from '../ports.js';
import type { AnyInstance } from './invoke.js';
import { invoke } from './invoke.js';

const upserted = z.object({ id: z.string() }).loose();
const milestone = z.object({ orderId: z.string() }).loose();
const synced = z.object({ accountId: z.string(), orderId: z.string() }).loose();
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

interface Waiting {
  input: MilestoneInput;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** How long a milestone waits for others to share its request (ms): nothing, next to a CRM's own latency. */
const BATCH_WINDOW_MS = 5;

/**
 * Milestones asked for within a few milliseconds of each other go to Salesforce together: one
 * `milestones.post-many` (an sObject Collections PATCH, up to 200 Orders) instead of a request each,
 * which spends one call of the org's daily API allocation per batch instead of one per milestone.
 * Each caller still learns its own milestone's outcome: a refused Order rejects only its caller,
 * a failed request (timeout, 5xx, rate limit) rejects every caller of the batch, whose steps retry.
 * A batch of one goes as `milestones.post`.
 */
class MilestoneBatcher {
  private waiting: Waiting[] = [];
  private scheduled = false;

  constructor(private readonly instance: AnyInstance) {}

  post(input: MilestoneInput): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      setTimeout(() => this.flush(), BATCH_WINDOW_MS);
    });
  }

  private flush(): void {
    this.scheduled = false;
    let rest = this.waiting;
    this.waiting = [];
    // An Order appears once per request (Salesforce refuses a list with the same Id twice); a
    // second milestone of the same order goes in the next request, after the first.
    while (rest.length > 0) {
      const batch: Waiting[] = [];
      const later: Waiting[] = [];
      const orders = new Set<string>();
      for (const w of rest) {
        if (batch.length < COLLECTION_LIMIT && !orders.has(w.input.orderId)) {
          orders.add(w.input.orderId);
          batch.push(w);
        } else later.push(w);
      }
      rest = later;
      void this.send(batch);
    }
  }

  private async send(batch: readonly Waiting[]): Promise<void> {
    const [only] = batch;
    if (batch.length === 1 && only) {
      await invoke(this.instance, 'milestones.post', only.input, milestone).then(() => only.resolve(), only.reject);
      return;
    }
    let outcomes: MilestoneOutcome[];
    try {
      outcomes = (await invoke(this.instance, 'milestones.post-many', { milestones: batch.map((w) => w.input) }, postedMany)).outcomes;
    } catch (err) {
      for (const w of batch) w.reject(err);
      return;
    }
    batch.forEach((w, i) => {
      const o = outcomes[i];
      if (o?.ok) w.resolve();
      else if (o) {
        const factory = o.notFound ? ConnectorErrors.notFound : ConnectorErrors.rejected;
        w.reject(factory(o.message, { errorCodes: o.errorCodes }));
      } else w.reject(ConnectorErrors.mapping(`milestones.post-many answered ${outcomes.length} outcomes for ${batch.length} milestones`));
    });
  }
}

/** The CRM port on the Salesforce connector: Account and Order upserts (one request), milestones (batched), Cases. */
export function salesforceCrm(instance: AnyInstance, options: SalesforceCrmOptions = {}): CrmPort {
  const milestones = new MilestoneBatcher(instance);
  // What a milestone sets on the Order: the org's status value and the note.
  const orderFields = (m: Milestone): Omit<MilestoneInput, 'orderId'> => ({
    orderStatus: options.statuses?.[m.status] ?? m.status,
    ...(m.note ? { note: m.note.slice(0, 2000) } : {}),
  });
  return {
    system: 'salesforce',
    async syncOrder(order: SalesOrder, customer: Customer, m?: Milestone) {
      // Account and Order (with its milestone) in one all-or-none request.
      await invoke(instance, 'orders.sync', { customer, order, ...(m ? { milestone: orderFields(m) } : {}) }, synced);
    },
    milestone(orderId: string, m: Milestone) {
      return milestones.post({ orderId, ...orderFields(m) });
    },
    async openCase(kase: Case) {
      const r = await invoke(instance, 'cases.open', { case: kase }, upserted);
      return { id: r.id };
    },
  };
}
