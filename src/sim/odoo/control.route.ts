import { z } from 'zod';
import { applyFaultControl, faultControlSchema } from '../kit/fault-control.js';
import type { FaultPlan } from '../kit/faults.js';
import { parseJsonBody, type SimRequest, type SimResponse } from '../kit/http-sim.js';
import { OdooException } from './errors.js';
import type { JsonRpcContext } from './jsonrpc.route.js';
import type { OdooStore } from './store.js';

export interface OdooControlDeps {
  store: OdooStore;
  faults: FaultPlan;
  calls: JsonRpcContext['calls'];
}

const seedSchema = z.object({ model: z.string(), values: z.record(z.string(), z.unknown()) });

function bodyOf<S extends z.ZodType>(req: SimRequest, schema: S): { ok: true; value: z.infer<S> } | { ok: false; response: SimResponse } {
  const parsed = schema.safeParse(parseJsonBody(req.rawBody) ?? {});
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, response: { status: 400, body: { error: 'invalid control request', issues: parsed.error.issues } } };
}

/** The simulator's own API under /_sim/ (docs/sim/README.md); not part of Odoo. */
export function handleOdooControl(req: SimRequest, deps: OdooControlDeps): SimResponse {
  const route = `${req.method} ${req.path}`;
  switch (route) {
    case 'GET /_sim/state':
      return { status: 200, body: { records: deps.store.dump(), calls: deps.calls, faultsPending: deps.faults.pending() } };
    case 'POST /_sim/faults': {
      const input = bodyOf(req, faultControlSchema);
      if (!input.ok) return input.response;
      return { status: 200, body: applyFaultControl(deps.faults, input.value) };
    }
    case 'DELETE /_sim/faults':
      deps.faults.reset();
      return { status: 200, body: { pending: 0 } };
    case 'POST /_sim/records': {
      const input = bodyOf(req, seedSchema);
      if (!input.ok) return input.response;
      try {
        const id = deps.store.create(deps.store.model(input.value.model), input.value.values, 1);
        return { status: 201, body: { id } };
      } catch (err) {
        if (err instanceof OdooException) return { status: 400, body: { error: err.pythonName, message: err.message } };
        throw err;
      }
    }
    default:
      return { status: 404, body: { error: `no control route ${route}` } };
  }
}
