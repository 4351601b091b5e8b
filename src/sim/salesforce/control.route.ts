import { z } from 'zod';
import { applyFaultControl, faultControlSchema } from '../kit/fault-control.js';
import type { FaultPlan } from '../kit/faults.js';
import { parseJsonBody, type SimRequest, type SimResponse } from '../kit/http-sim.js';
import type { ApiUsage } from './limits.js';
import type { SalesforceOAuth } from './oauth.js';
import { describeOf } from './objects.js';
import type { SalesforceStore } from './store.js';

export interface SalesforceControlDeps {
  store: SalesforceStore;
  faults: FaultPlan;
  usage: ApiUsage;
  oauth: SalesforceOAuth;
}

const seedSchema = z.object({ type: z.string(), fields: z.record(z.string(), z.unknown()) });
const limitsSchema = z.object({ used: z.number().int().min(0).optional(), limit: z.number().int().min(0).optional() });

function bodyOf<S extends z.ZodType>(req: SimRequest, schema: S): { ok: true; value: z.infer<S> } | { ok: false; response: SimResponse } {
  const parsed = schema.safeParse(parseJsonBody(req.rawBody) ?? {});
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, response: { status: 400, body: { error: 'invalid control request', issues: parsed.error.issues } } };
}

/** The simulator's own API under /_sim/ (docs/sim/README.md); not part of Salesforce. */
export function handleSalesforceControl(req: SimRequest, deps: SalesforceControlDeps): SimResponse {
  const route = `${req.method} ${req.path}`;
  switch (route) {
    case 'GET /_sim/state':
      return {
        status: 200,
        body: {
          records: deps.store.dump(),
          apiUsage: { used: deps.usage.used, limit: deps.usage.limit },
          tokensIssued: deps.oauth.tokens.size,
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
      const describe = describeOf(input.value.type);
      if (!describe) return { status: 404, body: { error: `unknown sObject ${input.value.type}` } };
      const created = deps.store.create(describe, input.value.fields);
      return created.ok ? { status: 201, body: { record: created.value } } : created.response;
    }
    case 'POST /_sim/limits': {
      const input = bodyOf(req, limitsSchema);
      if (!input.ok) return input.response;
      if (input.value.used !== undefined) deps.usage.used = input.value.used;
      if (input.value.limit !== undefined) deps.usage.limit = input.value.limit;
      return { status: 200, body: { used: deps.usage.used, limit: deps.usage.limit } };
    }
    case 'POST /_sim/tokens/expire':
      deps.oauth.expireAll();
      return { status: 200, body: { expired: deps.oauth.tokens.size } };
    default:
      return { status: 404, body: { error: `no control route ${route}` } };
  }
}
