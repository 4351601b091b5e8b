import { z } from 'zod';
import { EntityKind } from '../../../observability/index.js';
import { GatewayErrors } from '../../problem.js';
import type { OpsRouteDeps } from './deps.js';
import { type OpsScope, parse } from './parse.js';

const SearchQuery = z.strictObject({ q: z.string().trim().min(1).max(300), limit: z.coerce.number().int().min(1).max(500).default(50) });
const RecentQuery = z.strictObject({ kind: EntityKind.default('order'), limit: z.coerce.number().int().min(1).max(500).default(50) });
const Params = z.strictObject({ kind: EntityKind, id: z.string().min(1).max(300) });
const ClockQuery = z.strictObject({
  status: z.enum(['running', 'met', 'breached']).optional(),
  kind: EntityKind.optional(),
  id: z.string().min(1).max(300).optional(),
  limit: z.coerce.number().int().min(1).max(2000).default(200),
});

/**
 * GET /ops/timelines/search?q=<any business key>; GET /ops/timelines?kind=order (most recent);
 * GET /ops/timelines/:kind/:id (id or any business key) with its SLA clocks; GET /ops/sla/clocks.
 */
export function timelineRoutes(scope: OpsScope, deps: OpsRouteDeps): void {
  scope.get('/ops/timelines/search', { config: { scope: 'timeline:read' } }, async (request) => {
    const q = parse(SearchQuery, request.query, 'search');
    return { query: q.q, hits: await deps.timelines.search(q.q, q.limit) };
  });

  scope.get('/ops/timelines', { config: { scope: 'timeline:read' } }, async (request) => {
    const q = parse(RecentQuery, request.query, 'timelines query');
    return { kind: q.kind, items: await deps.timelines.recent(q.kind, q.limit) };
  });

  scope.get('/ops/timelines/:kind/:id', { config: { scope: 'timeline:read' } }, async (request) => {
    const p = parse(Params, request.params, 'path');
    const timeline = await deps.timelines.forEntity(p.kind, p.id);
    if (!timeline) throw GatewayErrors.notFound(`no ${p.kind} known by ${p.id}`, { path: 'id' });
    const sla = await deps.sla.list({ kind: p.kind, id: timeline.id });
    const exceptions = await deps.exceptions.list({ subject: `${p.kind}/${timeline.id}`, limit: 100 });
    return {
      ...timeline,
      sla,
      exceptions: exceptions.map((e) => ({
        id: e.id,
        category: e.category,
        status: e.status,
        title: e.title,
        openedAt: new Date(e.openedAt).toISOString(),
      })),
    };
  });

  scope.get('/ops/sla/clocks', { config: { scope: 'timeline:read' } }, async (request) => {
    const q = parse(ClockQuery, request.query, 'clocks query');
    return {
      rules: deps.sla.listRules(),
      clocks: await deps.sla.list({
        limit: q.limit,
        ...(q.status ? { status: q.status } : {}),
        ...(q.kind ? { kind: q.kind } : {}),
        ...(q.id ? { id: q.id } : {}),
      }),
    };
  });
}
