import { z } from 'zod';
import { Errors } from '../../../kernel/index.js';
import { readDashboard } from '../../../observability/index.js';
import type { OpsRouteDeps } from './deps.js';
import { type OpsScope, parse } from './parse.js';

const BUCKETS = { '1m': 60_000, '5m': 300_000, '15m': 900_000, '1h': 3_600_000, '6h': 21_600_000, '1d': 86_400_000 } as const;

const Query = z.strictObject({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  bucket: z.enum(['1m', '5m', '15m', '1h', '6h', '1d']).default('1h'),
});

/** GET /ops/dashboard?from&to&bucket — throughput, failures, lag, SLA breaches and exceptions (default: the last 24 h by hour). */
export function dashboardRoute(scope: OpsScope, deps: OpsRouteDeps): void {
  scope.get('/ops/dashboard', { config: { scope: 'timeline:read' } }, async (request) => {
    const q = parse(Query, request.query, 'dashboard query');
    const bucketMs = BUCKETS[q.bucket];
    const to = q.to ? Date.parse(q.to) : Math.ceil((deps.clock.now() + 1) / bucketMs) * bucketMs;
    const from = q.from ? Date.parse(q.from) : to - 24 * 3_600_000;
    if (Number.isNaN(from) || from >= to) throw Errors.validation('dashboard query: from must be before to', { path: 'from' });
    if ((to - from) / bucketMs > 2000)
      throw Errors.validation('dashboard query: more than 2000 buckets; choose a larger bucket', { path: 'bucket' });
    return readDashboard({ store: deps.store, eventlog: deps.eventlog, exceptions: deps.exceptions }, { from, to, bucketMs });
  });
}
