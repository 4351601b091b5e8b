import { z } from 'zod';
import { header, parseJsonBody, type SimRequest, type SimResponse } from '../kit/http-sim.js';
import { nsError } from './errors.js';
import type { NetSuiteStore } from './store.js';
import { parseSuiteql, runSuiteql } from './suiteql.js';

export const SUITEQL_PATH = '/services/rest/query/v1/suiteql';

const bodySchema = z.object({ q: z.string().min(1) });

function pageParam(req: SimRequest, name: string, fallback: number, max: number): number | SimResponse {
  const raw = req.query.get(name);
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > max || (name === 'limit' && n === 0)) {
    return nsError(400, 'INVALID_PARAMETER', `Invalid '${name}' parameter value: ${raw}.`, { 'o:errorQueryParam': name });
  }
  return n;
}

/** `POST /services/rest/query/v1/suiteql?limit=&offset=` with `Prefer: transient` and `{"q": "…"}`. */
export function handleSuiteql(req: SimRequest, store: NetSuiteStore, baseUrl: string): SimResponse {
  if (req.method !== 'POST') return nsError(405, 'INVALID_METHOD', `Method ${req.method} is not allowed on this resource.`);
  if (!/\btransient\b/i.test(header(req, 'prefer') ?? '')) {
    return nsError(400, 'INVALID_HEADER', "The 'Prefer: transient' header is required for SuiteQL queries.", { 'o:errorHeader': 'Prefer' });
  }
  const body = bodySchema.safeParse(parseJsonBody(req.rawBody));
  if (!body.success) return nsError(400, 'INVALID_CONTENT', "Invalid content in the request body. Provide the query in the 'q' property.");
  const limit = pageParam(req, 'limit', 1000, 1000);
  if (typeof limit !== 'number') return limit;
  const offset = pageParam(req, 'offset', 0, Number.MAX_SAFE_INTEGER);
  if (typeof offset !== 'number') return offset;
  const parsed = parseSuiteql(body.data.q);
  if (!parsed.ok) return parsed.response;
  const rows = runSuiteql(parsed.value, store);
  const page = rows.slice(offset, offset + limit);
  const hasMore = offset + page.length < rows.length;
  const at = (o: number) => `${baseUrl}${SUITEQL_PATH}?limit=${limit}&offset=${o}`;
  const links = [{ rel: 'self', href: at(offset) }];
  if (hasMore) links.push({ rel: 'next', href: at(offset + limit) });
  if (offset > 0) links.push({ rel: 'previous', href: at(Math.max(0, offset - limit)) });
  return {
    status: 200,
    body: { links, count: page.length, hasMore, items: page.map((row) => ({ links: [], ...row })), offset, totalResults: rows.length },
  };
}
