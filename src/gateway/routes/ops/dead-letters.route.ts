import { z } from 'zod';
import type { OpsRouteDeps } from './deps.js';
import { type OpsScope, parse } from './parse.js';

const ListQuery = z.strictObject({
  group: z.string().max(200).optional(),
  topic: z.string().max(200).optional(),
  includeRedriven: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(200),
});
const Redrive = z
  .strictObject({
    ids: z.array(z.number().int().nonnegative()).min(1).max(5000).optional(),
    group: z.string().min(1).max(200).optional(),
    topic: z.string().min(1).max(200).optional(),
  })
  .refine((r) => r.ids !== undefined || r.group !== undefined || r.topic !== undefined, { message: 'name ids, a group or a topic' });
const Replay = z
  .strictObject({
    group: z.string().min(1).max(200),
    topic: z.string().min(1).max(200),
    partition: z.number().int().min(0).optional(),
    fromOffset: z.number().int().min(0).optional(),
    fromTime: z.iso.datetime({ offset: true }).optional(),
  })
  .refine((r) => (r.fromOffset === undefined) !== (r.fromTime === undefined), { message: 'exactly one of fromOffset or fromTime' })
  .refine((r) => r.fromOffset === undefined || r.partition !== undefined, { message: 'fromOffset needs a partition', path: ['partition'] });

/** Dead letters (list, redrive), replay of a group from an offset or time, and the event log's figures. */
export function deadLetterRoutes(scope: OpsScope, deps: OpsRouteDeps): void {
  scope.get('/ops/dead-letters', { config: { scope: 'dlq:read' } }, async (request) => {
    const q = parse(ListQuery, request.query, 'dead letters query');
    const items = await deps.eventlog.listDeadLetters({
      limit: q.limit,
      includeRedriven: q.includeRedriven === 'true',
      ...(q.group ? { group: q.group } : {}),
      ...(q.topic ? { topic: q.topic } : {}),
    });
    return {
      items: items.map((d) => ({
        ...d,
        deadAt: new Date(d.deadAt).toISOString(),
        redrivenAt: d.redrivenAt === null ? null : new Date(d.redrivenAt).toISOString(),
      })),
    };
  });

  scope.post('/ops/dead-letters/redrive', { config: { scope: 'dlq:write' } }, async (request) => {
    const body = parse(Redrive, request.body, 'redrive');
    const redriven = await deps.eventlog.redrive({
      ...(body.ids ? { ids: body.ids } : {}),
      ...(body.group ? { group: body.group } : {}),
      ...(body.topic ? { topic: body.topic } : {}),
    });
    return { redriven };
  });

  scope.post('/ops/replay', { config: { scope: 'dlq:write' } }, async (request) => {
    const body = parse(Replay, request.body, 'replay');
    return deps.eventlog.replay({
      group: body.group,
      topic: body.topic,
      ...(body.partition !== undefined ? { partition: body.partition } : {}),
      ...(body.fromOffset !== undefined ? { fromOffset: body.fromOffset } : {}),
      ...(body.fromTime !== undefined ? { fromTime: Date.parse(body.fromTime) } : {}),
    });
  });

  scope.get('/ops/eventlog', { config: { scope: 'dlq:read' } }, async () => {
    const [stats, parked] = await Promise.all([deps.eventlog.stats(), deps.eventlog.listParked()]);
    return { ...stats, parked };
  });
}
