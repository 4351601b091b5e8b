import { z } from 'zod';
import { readConnectorHealth, readEdiInterchanges, readPartnerHealth } from '../../../observability/index.js';
import { GatewayErrors } from '../../problem.js';
import type { OpsRouteDeps } from './deps.js';
import { type OpsScope, parse } from './parse.js';

const EdiQuery = z.strictObject({
  partner: z.string().max(200).optional(),
  direction: z.enum(['outbound', 'inbound']).optional(),
  status: z.enum(['pending', 'accepted', 'rejected']).optional(),
  control: z.string().max(50).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
const AvailabilityQuery = z.strictObject({
  item: z.string().min(1).max(200),
  channel: z.string().min(1).max(200),
  customer: z.string().min(1).max(200).optional(),
});

/** Partners and connectors health, EDI interchanges with acknowledgements, and availability with its explanation. */
export function healthRoutes(scope: OpsScope, deps: OpsRouteDeps): void {
  scope.get('/ops/partners', { config: { scope: 'flows:read' } }, async () => ({
    items: await readPartnerHealth(deps.store, deps.exceptions, deps.clock.now()),
  }));

  scope.get('/ops/connectors', { config: { scope: 'flows:read' } }, async () => ({
    items: await readConnectorHealth(deps.store, deps.exceptions, deps.clock.now()),
  }));

  scope.get('/ops/edi/interchanges', { config: { scope: 'edi:read' } }, async (request) => {
    const q = parse(EdiQuery, request.query, 'interchanges query');
    return {
      items: await readEdiInterchanges(
        deps.store,
        {
          limit: q.limit,
          ...(q.partner ? { partner: q.partner } : {}),
          ...(q.direction ? { direction: q.direction } : {}),
          ...(q.status ? { status: q.status } : {}),
          ...(q.control ? { control: q.control } : {}),
        },
        deps.clock.now(),
      ),
    };
  });

  scope.get('/ops/availability/explain', { config: { scope: 'availability:read' } }, async (request) => {
    const q = parse(AvailabilityQuery, request.query, 'availability query');
    const availability = deps.availability();
    if (!availability) throw GatewayErrors.notFound('availability is not running in this hub', { path: 'availability' });
    return availability.get({ items: [q.item], channel: q.channel, explain: true, ...(q.customer ? { customer: q.customer } : {}) });
  });
}
