import { z } from 'zod';
import { applyFaultControl, faultControlSchema } from '../kit/fault-control.js';
import type { FaultPlan } from '../kit/faults.js';
import { parseJsonBody, type SimRequest, type SimResponse } from '../kit/http-sim.js';
import type { ConcurrencyGate } from './concurrency.js';
import { recordTypeOf } from './records.js';
import type { NetSuiteStore } from './store.js';
import type { TbaRejection } from './tba.js';

export interface NetSuiteControlDeps {
  store: NetSuiteStore;
  faults: FaultPlan;
  gate: ConcurrencyGate;
  settings: { processingDelayMs: number };
  loginAudit: Array<{ at: string; method: string; path: string; detail: TbaRejection }>;
}

const seedSchema = z.object({ type: z.string(), fields: z.record(z.string(), z.unknown()) });
const configSchema = z.object({
  concurrencyLimit: z.number().int().min(1).optional(),
  processingDelayMs: z.number().int().min(0).max(60_000).optional(),
});

function bodyOf<S extends z.ZodType>(req: SimRequest, schema: S): { ok: true; value: z.infer<S> } | { ok: false; response: SimResponse } {
  const parsed = schema.safeParse(parseJsonBody(req.rawBody) ?? {});
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, response: { status: 400, body: { error: 'invalid control request', issues: parsed.error.issues } } };
}

/** The simulator's own API under /_sim/ (docs/sim/README.md); not part of NetSuite. */
export function handleNetSuiteControl(req: SimRequest, deps: NetSuiteControlDeps): SimResponse {
  const route = `${req.method} ${req.path}`;
  switch (route) {
    case 'GET /_sim/state':
      return {
        status: 200,
        body: {
          records: deps.store.dump(),
          concurrency: { limit: deps.gate.limit, inFlight: deps.gate.inFlight, peak: deps.gate.peak, rejected: deps.gate.rejected },
          processingDelayMs: deps.settings.processingDelayMs,
          loginAudit: deps.loginAudit,
          faultsPending: deps.faults.pending(),
        },
      };
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
      const spec = recordTypeOf(input.value.type);
      if (!spec) return { status: 404, body: { error: `unknown record type ${input.value.type}` } };
      const created = deps.store.create(spec, input.value.fields);
      return created.ok ? { status: 201, body: { record: created.value } } : created.response;
    }
    case 'POST /_sim/config': {
      const input = bodyOf(req, configSchema);
      if (!input.ok) return input.response;
      if (input.value.concurrencyLimit !== undefined) deps.gate.limit = input.value.concurrencyLimit;
      if (input.value.processingDelayMs !== undefined) deps.settings.processingDelayMs = input.value.processingDelayMs;
      return { status: 200, body: { concurrencyLimit: deps.gate.limit, processingDelayMs: deps.settings.processingDelayMs } };
    }
    default:
      return { status: 404, body: { error: `no control route ${route}` } };
  }
}
