import { z } from 'zod';
import { ActionRequest, type ExceptionView } from '../../../domains/exceptions/index.js';
import type { OpsRouteDeps } from './deps.js';
import { actorOf, type OpsScope, parse } from './parse.js';

const ListQuery = z.strictObject({
  status: z.enum(['open', 'resolved']).optional(),
  category: z.string().max(100).optional(),
  categoryPrefix: z.string().max(100).optional(),
  owner: z.string().max(200).optional(),
  partner: z.string().max(200).optional(),
  warehouse: z.string().max(200).optional(),
  channel: z.string().max(200).optional(),
  subject: z.string().max(300).optional(),
  severity: z.enum(['low', 'medium', 'high', 'critical']).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(200),
  offset: z.coerce.number().int().min(0).default(0),
});
const Id = z.strictObject({ id: z.string().min(1).max(40) });
const SummaryQuery = z.strictObject({
  by: z.enum(['category', 'owner', 'partner', 'warehouse', 'channel', 'severity']).default('category'),
});
const Bulk = z.strictObject({ ids: z.array(z.string().min(1).max(40)).min(1).max(500), request: ActionRequest });

/**
 * The exception queue: list with filters, counts, one exception with its history and the actions
 * it offers, an action on one, the same action on many.
 */
export function exceptionRoutes(scope: OpsScope, deps: OpsRouteDeps): void {
  const withActions = (e: ExceptionView) => ({ ...e, available: deps.actions.available(e) });

  scope.get('/ops/exceptions', { config: { scope: 'exceptions:read' } }, async (request) => {
    const q = parse(ListQuery, request.query, 'exceptions query');
    const items = await deps.exceptions.list({
      limit: q.limit,
      offset: q.offset,
      ...(q.status ? { status: q.status } : {}),
      ...(q.category ? { category: q.category } : {}),
      ...(q.categoryPrefix ? { categoryPrefix: q.categoryPrefix } : {}),
      ...(q.owner ? { owner: q.owner } : {}),
      ...(q.partner ? { partner: q.partner } : {}),
      ...(q.warehouse ? { warehouse: q.warehouse } : {}),
      ...(q.channel ? { channel: q.channel } : {}),
      ...(q.subject ? { subject: q.subject } : {}),
      ...(q.severity ? { severity: q.severity } : {}),
      ...(q.overdue === 'true' ? { overdueOnly: true } : {}),
    });
    return { items: items.map(withActions) };
  });

  scope.get('/ops/exceptions/summary', { config: { scope: 'exceptions:read' } }, async (request) => {
    const q = parse(SummaryQuery, request.query, 'summary query');
    return { by: q.by, groups: await deps.exceptions.openCountsBy(q.by), ownerRules: deps.exceptions.ownerRules() };
  });

  scope.get('/ops/exceptions/:id', { config: { scope: 'exceptions:read' } }, async (request) => {
    const { id } = parse(Id, request.params, 'path');
    const e = await deps.exceptions.get(id);
    return { ...withActions(e), history: await deps.exceptions.historyOf(id) };
  });

  scope.post('/ops/exceptions/:id/actions', { config: { scope: 'exceptions:write' } }, async (request) => {
    const { id } = parse(Id, request.params, 'path');
    const body = parse(ActionRequest, request.body, 'action');
    const outcome = await deps.actions.run(id, body, actorOf(request.principal));
    return { ...outcome, exception: withActions(await deps.exceptions.get(id)) };
  });

  scope.post('/ops/exceptions/bulk', { config: { scope: 'exceptions:write' } }, async (request) => {
    const body = parse(Bulk, request.body, 'bulk action');
    const results = await deps.actions.bulk(body.ids, body.request, actorOf(request.principal));
    return { succeeded: results.filter((r) => r.ok).length, failed: results.filter((r) => !r.ok).length, results };
  });
}
