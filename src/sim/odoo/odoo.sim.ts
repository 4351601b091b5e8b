import { type Clock, systemClock } from '../../kernel/index.js';
import { FaultPlan, type SimServer } from '../kit/faults.js';
import { startHttpSim } from '../kit/http-sim.js';
import { handleOdooControl } from './control.route.js';
import { odooFaultResponse } from './errors.js';
import { handleJsonRpc, type JsonRpcContext, type OdooUser } from './jsonrpc.route.js';
import { OdooStore } from './store.js';

export interface OdooSimOptions {
  host?: string;
  port?: number;
  database?: string;
  /** Users able to log in; defaults to admin (uid 2) with password `admin` and one API key. */
  users?: OdooUser[];
  /** Reported by common.version(). */
  serverVersion?: string;
  clock?: Clock;
  faults?: FaultPlan;
}

export interface OdooSim extends SimServer {
  readonly state: OdooStore;
  readonly database: string;
  readonly users: readonly OdooUser[];
  /** `${url}/jsonrpc` */
  readonly endpoint: string;
  readonly calls: JsonRpcContext['calls'];
  /** Seeds a record as the superuser; returns its id. */
  seed(model: string, values: Record<string, unknown>): number;
}

const DEFAULT_USERS: OdooUser[] = [{ uid: 2, login: 'admin', password: 'admin', apiKeys: ['a1b2c3d4e5f60718293a4b5c6d7e8f9012345678'] }];

/** Starts an Odoo external JSON-RPC simulator on loopback, with a stock location seeded. */
export async function startOdooSim(options: OdooSimOptions = {}): Promise<OdooSim> {
  const clock = options.clock ?? systemClock;
  const faults = options.faults ?? new FaultPlan();
  const store = new OdooStore(clock);
  const database = options.database ?? 'crossdock';
  const users = options.users ?? DEFAULT_USERS;
  const calls: JsonRpcContext['calls'] = [];
  const ctx: JsonRpcContext = { store, database, users, serverVersion: options.serverVersion ?? '17.0', clock, calls };
  store.create(store.model('stock.location'), { name: 'Stock', complete_name: 'WH/Stock', usage: 'internal' }, 1);

  const http = await startHttpSim({
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
    faults,
    faultResponse: (fault) => odooFaultResponse(fault.status),
    control: (req) => handleOdooControl(req, { store, faults, calls }),
    handle: (req) => (req.path === '/jsonrpc' ? handleJsonRpc(req, ctx) : odooFaultResponse(404)),
  });

  return {
    url: http.url,
    faults,
    state: store,
    database,
    users,
    endpoint: `${http.url}/jsonrpc`,
    calls,
    seed: (model, values) => store.create(store.model(model), values, 1),
    close: () => http.close(),
  };
}
