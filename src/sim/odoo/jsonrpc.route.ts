import { z } from 'zod';
import type { Clock } from '../../kernel/index.js';
import { parseJsonBody, type SimRequest, type SimResponse } from '../kit/http-sim.js';
import { accessDenied, jsonRpcError, OdooException } from './errors.js';
import { executeMethod } from './methods.js';
import type { OdooStore } from './store.js';

export interface OdooUser {
  uid: number;
  login: string;
  password: string;
  /** API keys are accepted wherever the password is (Odoo 14+). */
  apiKeys: string[];
}

export interface JsonRpcContext {
  store: OdooStore;
  database: string;
  users: readonly OdooUser[];
  serverVersion: string;
  clock: Clock;
  /** Every call, for the control API's state view. */
  calls: Array<{ service: string; method: string; model?: string; modelMethod?: string; ok: boolean }>;
}

const envelopeSchema = z.object({
  jsonrpc: z.literal('2.0'),
  method: z.literal('call'),
  params: z.object({ service: z.string(), method: z.string(), args: z.array(z.unknown()).default([]) }),
  id: z.union([z.number(), z.string(), z.null()]).optional(),
});

const credential = z.tuple([z.string(), z.string(), z.string()]).rest(z.unknown());
const executeKwArgs = z.tuple([z.string(), z.number(), z.string(), z.string(), z.string()]).rest(z.unknown());

function checkDatabase(ctx: JsonRpcContext, db: string): void {
  if (db !== ctx.database) {
    throw new OdooException(
      'psycopg2.OperationalError',
      `connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: FATAL:  database "${db}" does not exist\n`,
    );
  }
}

function login(ctx: JsonRpcContext, args: unknown[]): number | false {
  const parsed = credential.safeParse(args);
  if (!parsed.success) throw new OdooException('builtins.TypeError', 'login() missing required positional arguments');
  const [db, user, password] = parsed.data;
  checkDatabase(ctx, db);
  const found = ctx.users.find((u) => u.login === user);
  return found && (found.password === password || found.apiKeys.includes(password)) ? found.uid : false;
}

function version(ctx: JsonRpcContext): Record<string, unknown> {
  const [major = 17, minor = 0] = ctx.serverVersion.split('.').map(Number);
  return {
    server_version: ctx.serverVersion,
    server_version_info: [major, minor, 0, 'final', 0, ''],
    server_serie: ctx.serverVersion,
    protocol_version: 1,
  };
}

function object(ctx: JsonRpcContext, method: string, args: unknown[], record: JsonRpcContext['calls'][number]): unknown {
  if (method !== 'execute_kw' && method !== 'execute') throw new OdooException('builtins.NameError', `Method not available ${method}`);
  const parsed = executeKwArgs.safeParse(args);
  if (!parsed.success) throw new OdooException('builtins.TypeError', `${method}() missing required positional arguments`);
  const [db, uid, password, model, modelMethod, ...rest] = parsed.data;
  record.model = model;
  record.modelMethod = modelMethod;
  checkDatabase(ctx, db);
  const user = ctx.users.find((u) => u.uid === uid);
  if (!user || (user.password !== password && !user.apiKeys.includes(password))) throw accessDenied();
  const positional = method === 'execute_kw' ? z.array(z.unknown()).safeParse(rest[0] ?? []) : { success: true as const, data: rest };
  const kwargs =
    method === 'execute_kw' ? z.record(z.string(), z.unknown()).safeParse(rest[1] ?? {}) : { success: true as const, data: {} };
  if (!positional.success || !kwargs.success)
    throw new OdooException('builtins.TypeError', 'execute_kw() expects a list of arguments and a dict of keyword arguments');
  return executeMethod({ store: ctx.store, uid, clock: ctx.clock }, model, modelMethod, positional.data, kwargs.data);
}

/** `POST /jsonrpc`: Odoo's external JSON-RPC endpoint (services common, object, db). */
export function handleJsonRpc(req: SimRequest, ctx: JsonRpcContext): SimResponse {
  if (req.method !== 'POST')
    return {
      status: 405,
      headers: { 'content-type': 'text/html; charset=utf-8' },
      body: '<!doctype html>\n<title>405 Method Not Allowed</title>\n',
    };
  const raw = parseJsonBody(req.rawBody);
  const envelope = envelopeSchema.safeParse(raw);
  const id = envelope.success ? envelope.data.id : null;
  if (!envelope.success)
    return jsonRpcError(id, new OdooException('werkzeug.exceptions.BadRequest', '400 Bad Request: Invalid JSON-RPC request'));
  const { service, method, args } = envelope.data.params;
  const record: JsonRpcContext['calls'][number] = { service, method, ok: false };
  ctx.calls.push(record);
  try {
    let result: unknown;
    if (service === 'common' && method === 'version') result = version(ctx);
    else if (service === 'common' && (method === 'login' || method === 'authenticate')) result = login(ctx, args);
    else if (service === 'db' && method === 'list') result = [ctx.database];
    else if (service === 'object') result = object(ctx, method, args, record);
    else throw new OdooException('builtins.NameError', `Method not available ${method}`);
    record.ok = true;
    return { status: 200, body: { jsonrpc: '2.0', id: id ?? null, result } };
  } catch (err) {
    if (err instanceof OdooException) return jsonRpcError(id, err);
    throw err;
  }
}
