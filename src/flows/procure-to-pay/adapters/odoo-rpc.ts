import { z } from 'zod';
import { defineError } from '../../../kernel/index.js';
import { callJson } from './http-json.js';

export const OdooRpcErrors = {
  refused: defineError('CD_ERR_FLOW_ODOO_REFUSED', { class: 'permanent', title: 'Odoo raised an error' }),
  conflict: defineError('CD_ERR_FLOW_ODOO_CONFLICT', { class: 'retryable', title: 'Odoo could not serialize the transaction' }),
} as const;

/** Where and as whom the flows reach Odoo's external API (JSON-RPC /jsonrpc). */
export interface OdooTarget {
  url: string;
  database: string;
  login: string;
  apiKey: string;
}

const reply = z.union([
  z.object({ result: z.unknown() }),
  z.object({ error: z.object({ message: z.string(), data: z.object({ name: z.string(), message: z.string() }).partial().optional() }) }),
]);

/** A minimal Odoo JSON-RPC client for the flows' ERP adapters (`common.login`, `object.execute_kw`). */
export class OdooRpc {
  private uid: Promise<number> | undefined;
  private id = 0;

  constructor(private readonly target: OdooTarget) {}

  private async call(service: 'common' | 'object', method: string, args: unknown[]): Promise<unknown> {
    this.id += 1;
    const res = await callJson(`${this.target.url.replace(/\/$/, '')}/jsonrpc`, {
      method: 'POST',
      body: { jsonrpc: '2.0', method: 'call', params: { service, method, args }, id: this.id },
    });
    const parsed = reply.safeParse(res.body);
    if (!parsed.success) throw OdooRpcErrors.refused(`Odoo ${method}: unreadable answer`, { vendorBody: res.body });
    if ('error' in parsed.data) {
      const name = parsed.data.error.data?.name ?? '';
      const message = parsed.data.error.data?.message ?? parsed.data.error.message;
      // A serialization failure is PostgreSQL's "try again"; everything else is Odoo refusing the data.
      if (name.includes('SerializationFailure')) throw OdooRpcErrors.conflict(`Odoo ${method}: ${message}`, { odooError: name });
      throw OdooRpcErrors.refused(`Odoo ${method}: ${message}`, { odooError: name });
    }
    return parsed.data.result;
  }

  private login(): Promise<number> {
    this.uid ??= this.call('common', 'login', [this.target.database, this.target.login, this.target.apiKey]).then((uid) => {
      if (typeof uid !== 'number') throw OdooRpcErrors.refused(`Odoo refused the login ${this.target.login}`);
      return uid;
    });
    this.uid.catch(() => {
      this.uid = undefined;
    });
    return this.uid;
  }

  /** `execute_kw(db, uid, key, model, method, args, kwargs)`. */
  async execute(model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}): Promise<unknown> {
    const uid = await this.login();
    return this.call('object', 'execute_kw', [this.target.database, uid, this.target.apiKey, model, method, args, kwargs]);
  }

  async search(model: string, domain: unknown[]): Promise<number[]> {
    return z.array(z.number()).parse(await this.execute(model, 'search', [domain]));
  }

  async read(model: string, domain: unknown[], fields: string[]): Promise<Array<Record<string, unknown>>> {
    return z.array(z.record(z.string(), z.unknown())).parse(await this.execute(model, 'search_read', [domain], { fields }));
  }

  async create(model: string, values: Record<string, unknown>): Promise<number> {
    return z.number().parse(await this.execute(model, 'create', [values]));
  }

  async write(model: string, ids: number[], values: Record<string, unknown>): Promise<void> {
    await this.execute(model, 'write', [ids, values]);
  }

  /** The id of the record `domain` finds, creating it with `values` when there is none. */
  async ensure(model: string, domain: unknown[], values: Record<string, unknown>): Promise<number> {
    const [found] = await this.search(model, domain);
    return found ?? this.create(model, values);
  }
}

/** Odoo sends money as floats on the wire; this is the edge where decimal strings become numbers. */
export function odooAmount(value: string): number {
  return Number(value);
}
