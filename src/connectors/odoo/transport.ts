import { z } from 'zod';
import { type ConnectorContext, ConnectorErrors, type HttpResponse, type HttpTransport, type TransportSpec } from '../sdk/index.js';
import type { OdooCredentials } from './credentials.js';
import type { OdooSettings } from './settings.js';

/**
 * The one place the upstream API version lives: Odoo's external API over JSON-RPC (`/jsonrpc`, services
 * `common` and `object`), as served by Odoo 16–17 (https://www.odoo.com/documentation/17.0/developer/reference/external_api.html).
 */
export const ODOO_RPC_PATH = '/jsonrpc';
export const ODOO_SYSTEM = 'Odoo external API (JSON-RPC /jsonrpc), Odoo 17.0';

export type OdooContext = ConnectorContext<OdooSettings, OdooCredentials>;

/** `{"error": {"code": 200, "message": "Odoo Server Error", "data": {"name": "odoo.exceptions.…", "message": …}}}`, always HTTP 200. */
const errorSchema = z.object({
  error: z.object({
    code: z.number().optional(),
    message: z.string(),
    data: z.object({ name: z.string(), message: z.string() }).partial().optional(),
  }),
});
const resultSchema = z.object({ result: z.unknown() });

const PERMANENT = new Set(['odoo.exceptions.ValidationError', 'odoo.exceptions.UserError', 'odoo.exceptions.MissingError']);

/**
 * Odoo answers every server exception with HTTP 200 and a JSON-RPC `error`: AccessDenied is an auth error;
 * ValidationError, UserError and MissingError are rejections carrying Odoo's message; anything else
 * (a database hiccup, a serialization failure) is treated as transient.
 */
export function odooClassify(response: HttpResponse<unknown>) {
  if (response.status !== 200) return undefined;
  const parsed = errorSchema.safeParse(response.body);
  if (!parsed.success) return undefined;
  const name = parsed.data.error.data?.name ?? 'unknown';
  const message = parsed.data.error.data?.message ?? parsed.data.error.message;
  const details = { status: 200, odooError: name, vendorBody: response.body };
  if (name === 'odoo.exceptions.AccessDenied') return ConnectorErrors.auth(`Odoo denied access: ${message}`, details);
  if (PERMANENT.has(name)) return ConnectorErrors.rejected(`Odoo refused (${name.split('.').pop()}): ${message}`, details);
  return ConnectorErrors.unavailable(`Odoo failed (${name}): ${message}`, details);
}

export function odooTransport(settings: OdooSettings): TransportSpec {
  return { baseUrl: settings.url, classify: odooClassify, timeoutMs: settings.timeoutMs };
}

let rpcId = 0;

/** One JSON-RPC `call`; returns `result`. */
export async function rpc(
  ctx: { readonly http: HttpTransport },
  service: 'common' | 'object',
  method: string,
  args: unknown[],
  options: { operation: string; idempotent: boolean },
): Promise<unknown> {
  rpcId += 1;
  const res = await ctx.http.request({
    method: 'POST',
    path: ODOO_RPC_PATH,
    body: { jsonrpc: '2.0', method: 'call', params: { service, method, args }, id: rpcId },
    idempotent: options.idempotent,
    operation: options.operation,
  });
  const parsed = resultSchema.safeParse(res.body);
  if (!parsed.success) throw ConnectorErrors.mapping(`Odoo ${options.operation}: the answer has no result`, { vendorBody: res.body });
  return parsed.data.result;
}

/** Logged-in uids, per instance's credentials object. */
const sessions = new WeakMap<OdooCredentials, Promise<number>>();

/** `common.login(db, login, key)` → uid, cached; `false` means the credentials are wrong. */
export function login(
  ctx: { readonly http: HttpTransport; readonly credentials: OdooCredentials },
  options: { fresh?: boolean } = {},
): Promise<number> {
  const cached = sessions.get(ctx.credentials);
  if (cached && !options.fresh) return cached;
  const { database, login: user, apiKey } = ctx.credentials;
  const pending = rpc(ctx, 'common', 'login', [database, user, apiKey], { operation: 'common.login', idempotent: true }).then((uid) => {
    if (typeof uid !== 'number') throw ConnectorErrors.auth(`Odoo refused the login ${user} on database ${database}`);
    return uid;
  });
  sessions.set(ctx.credentials, pending);
  pending.catch(() => sessions.delete(ctx.credentials));
  return pending;
}

/** `object.execute_kw(db, uid, key, model, method, args, kwargs)`; reads say they are safe to repeat. */
export async function executeKw<T>(
  ctx: OdooContext,
  call: { model: string; method: string; args: unknown[]; kwargs?: Record<string, unknown>; idempotent: boolean; operation: string },
  schema: z.ZodType<T>,
): Promise<T> {
  const uid = await login(ctx);
  const { database, apiKey } = ctx.credentials;
  const result = await rpc(ctx, 'object', 'execute_kw', [database, uid, apiKey, call.model, call.method, call.args, call.kwargs ?? {}], {
    operation: call.operation,
    idempotent: call.idempotent,
  });
  const parsed = schema.safeParse(result);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw ConnectorErrors.mapping(`Odoo ${call.operation} answer ${issue?.path.join('.') || '(root)'}: ${issue?.message}`, {
      vendorBody: result,
    });
  }
  return parsed.data;
}

/** A many2one as read: `[id, display name]` or `false`. */
export const many2one = z.union([z.tuple([z.number(), z.string()]), z.literal(false)]);
/** A char or text field as read: the text, or `false` when empty. */
export const text = z.union([z.string(), z.literal(false)]).transform((v) => (v === false ? undefined : v));
