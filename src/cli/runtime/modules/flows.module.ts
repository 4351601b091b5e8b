import { z } from 'zod';
import { ExceptionQueue } from '../../../domains/exceptions/index.js';
import { defaultRules, MasterData } from '../../../domains/masterdata/index.js';
import {
  CreditLedger,
  createOrderToCashFlow,
  type ExceptionsPort,
  type FlowPorts,
  Hold,
  HoldDecision,
  isStockPort,
  type O2cPolicyInput,
  OrderHeldEvent,
  OrderToCash,
} from '../../../flows/index.js';
import { asCrossdockError, toProblem } from '../../../gateway/index.js';
import { Errors } from '../../../kernel/index.js';
import { WorkflowEngine, type WorkflowEngineOptions } from '../../../workflow/index.js';
import type { HubContext, HubModule } from '../modules.js';

/** What the flows offer other modules (the console, the demo, procure-to-pay and return-to-credit). */
export interface FlowsService {
  readonly engine: WorkflowEngine;
  readonly masterdata: MasterData;
  /** Present when ports were wired (an ERP and a warehouse at least). */
  readonly orderToCash?: OrderToCash;
}

export interface FlowsModuleOptions {
  /** Builds the systems the flows run on; else `services.flowPorts` set by an earlier module. */
  ports?: (ctx: HubContext) => Promise<FlowPorts | undefined> | FlowPorts | undefined;
  policy?: O2cPolicyInput;
  /** Topics orders and shipment events arrive on. */
  topics?: readonly string[];
  engine?: Partial<Pick<WorkflowEngineOptions, 'concurrency' | 'leaseMs' | 'pollIntervalMs' | 'retry'>>;
}

const OrderParams = z.object({ orderId: z.string().min(1).max(200) });
const HoldParams = OrderParams.extend({ hold: Hold });
const CancelBody = z.object({ reason: z.string().min(1).max(2000) });

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = issue?.path.map(String).join('.') ?? '';
  throw Errors.validation(`${what} ${path || '(root)'}: ${issue?.message ?? 'invalid'}`, {
    path,
    issues: [{ path, message: issue?.message ?? 'invalid' }],
  });
}

function exceptionsPort(value: unknown, fallback: () => ExceptionsPort): ExceptionsPort {
  if (value instanceof ExceptionQueue) return value;
  return fallback();
}

/**
 * The durable flows: one workflow engine per hub process (instances leased, so several processes
 * share the work), order-to-cash fed from the event log, and operator routes to release holds and
 * cancel orders.
 */
export function createFlowsModule(options: FlowsModuleOptions = {}): HubModule {
  return {
    name: 'flows',
    eventTypes: [OrderHeldEvent],
    async start(ctx) {
      const engine = new WorkflowEngine({ store: ctx.store, logger: ctx.logger, ...options.engine });
      const wired: FlowPorts | undefined = options.ports ? await options.ports(ctx) : undefined;
      const ports: FlowPorts | undefined = wired ?? ctx.services.flowPorts;
      const masterdata = new MasterData(ctx.store, ports ? { rules: defaultRules(ports.erp.system) } : {});
      let orderToCash: OrderToCash | undefined;
      const stock = ctx.services.availability ?? ports?.stock;
      if (ports && isStockPort(stock)) {
        const flow = createOrderToCashFlow({
          ...ports,
          stock,
          exceptions: exceptionsPort(ctx.services.exceptions, () => new ExceptionQueue(ctx.store)),
          events: ctx.eventlog,
          masterdata,
          credit: new CreditLedger(ctx.store),
          ...(options.policy ? { policy: options.policy } : {}),
        });
        engine.register(flow);
        orderToCash = new OrderToCash(engine, flow);
        orderToCash.subscribe(ctx.eventlog, options.topics ?? ['orders', 'shipments']);
      } else {
        ctx.logger.warn('order-to-cash is not running: no ERP and warehouse ports (and stock) are wired');
      }
      ctx.services.flows = { engine, masterdata, ...(orderToCash ? { orderToCash } : {}) };

      ctx.gateway.register(async (scope) => {
        scope.setErrorHandler((err, request, reply) => {
          const problem = toProblem(asCrossdockError(err), request.url);
          reply.code(problem.status).type('application/problem+json').send(problem);
        });
        const o2c = () => {
          if (!orderToCash) throw Errors.config('order-to-cash is not wired in this hub (no ERP/warehouse ports)', { path: 'flows' });
          return orderToCash;
        };
        scope.get('/v1/flows/order-to-cash/:orderId', { config: { scope: 'flows:read' } }, async (request, reply) => {
          const { orderId } = parse(OrderParams, request.params, 'path');
          const view = await o2c().status(orderId);
          if (!view)
            return reply
              .code(404)
              .type('application/problem+json')
              .send({ type: 'about:blank', title: 'Not found', status: 404, detail: `no order-to-cash for ${orderId}` });
          return view;
        });
        scope.post('/v1/flows/order-to-cash/:orderId/holds/:hold', { config: { scope: 'flows:write' } }, async (request) => {
          const { orderId, hold } = parse(HoldParams, request.params, 'path');
          const decision = parse(HoldDecision, request.body, 'decision');
          return { delivered: await o2c().decide(orderId, hold, decision) };
        });
        scope.post('/v1/flows/order-to-cash/:orderId/cancel', { config: { scope: 'flows:write' } }, async (request, reply) => {
          const { orderId } = parse(OrderParams, request.params, 'path');
          const { reason } = parse(CancelBody, request.body, 'cancel request');
          await o2c().cancel(orderId, reason);
          return reply.code(202).send({ orderId, status: 'cancelling' });
        });
      });

      engine.startWorkers();
      ctx.lifecycle.onStop('workflow-engine', () => engine.stop());
    },
  };
}

/** The flows module of a default hub: ports come from `services.flowPorts` when an earlier module sets them. */
export const flowsModule: HubModule = createFlowsModule();
