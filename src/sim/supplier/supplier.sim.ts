import { type Clock, systemClock } from '../../kernel/index.js';
import { FaultPlan, type SimServer } from '../kit/faults.js';
import { header, parseJsonBody, type SimRequest, type SimResponse, startHttpSim } from '../kit/http-sim.js';
import { PortalPurchaseOrder, type SupplierBehaviourInput, type SupplierOrder } from './model.js';
import { SupplierConflict, SupplierStore } from './store.js';

export interface SupplierSimOptions {
  host?: string;
  port?: number;
  /** Keys accepted by the portal in `Authorization: Bearer <key>`. */
  apiKeys?: string[];
  /** EDI mailbox root: the buyer drops 850s in `inbox/`, the supplier writes 855/856/810 to `outbox/`. */
  ediDir?: string;
  /** ISA ids: the supplier's and the buyer's. */
  ids?: { supplier: string; buyer: string };
  /** When set, the supplier reads its EDI inbox and moves every open PO one stage on each period. */
  autoAdvanceMs?: number;
  clock?: Clock;
  faults?: FaultPlan;
}

export interface SupplierSim extends SimServer {
  readonly state: SupplierStore;
  readonly apiKey: string;
  setBehaviour(poNumber: string, behaviour: SupplierBehaviourInput): void;
  processEdiInbox(): number;
  acknowledge(poNumber: string): SupplierOrder;
  ship(poNumber: string): SupplierOrder;
  invoice(poNumber: string): SupplierOrder;
  advance(poNumber: string): SupplierOrder | undefined;
}

const problem = (status: number, code: string, message: string): SimResponse => ({ status, body: { error: { code, message } } });

/**
 * A simulated supplier (docs/flows.md, "The simulated supplier"): takes purchase orders by EDI 850 files or its portal
 * REST API and answers with acknowledgements (accepted, changed, rejected lines), ASNs and invoices,
 * with discrepancies set per PO.
 */
export async function startSupplierSim(options: SupplierSimOptions = {}): Promise<SupplierSim> {
  const clock = options.clock ?? systemClock;
  const faults = options.faults ?? new FaultPlan();
  const apiKeys = options.apiKeys ?? ['sup_test_0000000000000000'];
  const store = new SupplierStore(clock, options.ids ?? { supplier: 'SUPPLIERSIM', buyer: 'CROSSDOCK' }, options.ediDir);

  function guarded(fn: () => SimResponse): SimResponse {
    try {
      return fn();
    } catch (err) {
      if (err instanceof SupplierConflict) return problem(err.status, err.code, err.message);
      throw err;
    }
  }

  function handle(req: SimRequest): SimResponse {
    const auth = header(req, 'authorization');
    if (!auth || !apiKeys.includes(auth.replace(/^Bearer\s+/i, ''))) return problem(401, 'unauthorized', 'A valid API key is required.');
    const route = `${req.method} ${req.path}`;
    if (route === 'POST /v1/purchase-orders') {
      const parsed = PortalPurchaseOrder.safeParse(parseJsonBody(req.rawBody));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return problem(422, 'invalid', `${issue?.path.join('.') || '(body)'}: ${issue?.message ?? 'invalid'}`);
      }
      const { order, created } = store.receive(parsed.data, 'portal');
      return { status: created ? 201 : 200, body: order };
    }
    if (route === 'GET /v1/documents') {
      const after = Number(req.query.get('after') ?? '0');
      const limit = Math.min(Number(req.query.get('limit') ?? '100'), 500);
      const data = store.documents.filter((d) => d.seq > after).slice(0, limit);
      return { status: 200, body: { data, next: data.at(-1)?.seq ?? after } };
    }
    const cancel = /^POST \/v1\/purchase-orders\/([^/]+)\/cancel$/.exec(route);
    if (cancel?.[1]) {
      const poNumber = decodeURIComponent(cancel[1]);
      return guarded(() => ({ status: 200, body: store.cancel(poNumber) }));
    }
    const get = /^GET \/v1\/purchase-orders\/([^/]+)$/.exec(route);
    if (get?.[1]) {
      const order = store.orders.get(decodeURIComponent(get[1]));
      return order ? { status: 200, body: order } : problem(404, 'not_found', 'No such purchase order.');
    }
    return problem(404, 'not_found', `${route} is not part of the portal API.`);
  }

  function control(req: SimRequest): SimResponse {
    const m = /^POST \/_sim\/orders\/([^/]+)\/(acknowledge|ship|invoice|advance)$/.exec(`${req.method} ${req.path}`);
    if (m?.[1] && m[2]) {
      const po = decodeURIComponent(m[1]);
      const action = m[2];
      return guarded(() => ({
        status: 200,
        body:
          action === 'acknowledge'
            ? store.acknowledge(po)
            : action === 'ship'
              ? store.ship(po)
              : action === 'invoice'
                ? store.invoice(po)
                : (store.advance(po) ?? null),
      }));
    }
    if (req.method === 'POST' && req.path === '/_sim/edi/process') return { status: 200, body: { read: store.processEdiInbox() } };
    if (req.method === 'GET' && req.path === '/_sim/orders') return { status: 200, body: { data: [...store.orders.values()] } };
    return problem(404, 'not_found', 'Unknown control route.');
  }

  const http = await startHttpSim({
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
    faults,
    handle,
    control,
    faultResponse: (fault) => ({
      status: fault.status,
      ...(fault.retryAfterSeconds !== undefined ? { headers: { 'retry-after': String(fault.retryAfterSeconds) } } : {}),
      body: { error: { code: 'unavailable', message: `The portal answered ${fault.status}.` } },
    }),
  });

  let timer: NodeJS.Timeout | undefined;
  if (options.autoAdvanceMs !== undefined) {
    timer = setInterval(() => {
      store.processEdiInbox();
      for (const order of store.orders.values()) {
        if (order.status === 'received' || order.status === 'acknowledged' || order.status === 'shipped') store.advance(order.poNumber);
      }
    }, options.autoAdvanceMs);
    timer.unref();
  }

  return {
    url: http.url,
    faults,
    state: store,
    apiKey: apiKeys[0] ?? '',
    setBehaviour: (po, b) => store.setBehaviour(po, b),
    processEdiInbox: () => store.processEdiInbox(),
    acknowledge: (po) => store.acknowledge(po),
    ship: (po) => store.ship(po),
    invoice: (po) => store.invoice(po),
    advance: (po) => store.advance(po),
    async close() {
      if (timer) clearInterval(timer);
      await http.close();
    },
  };
}
