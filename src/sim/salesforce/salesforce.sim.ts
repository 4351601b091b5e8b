import type { KeyObject } from 'node:crypto';
import { type Clock, systemClock } from '../../kernel/index.js';
import { FaultPlan, type SimServer } from '../kit/faults.js';
import { header, parseJsonBody, type SimRequest, type SimResponse, startHttpSim } from '../kit/http-sim.js';
import { executeCollectionCreate, executeCollectionUpdate } from './collections.js';
import { executeComposite, executeGraph } from './composite.js';
import { handleSalesforceControl } from './control.route.js';
import { invalidSession, requestLimitExceeded, salesforceFaultResponse, sfError } from './errors.js';
import { ApiUsage } from './limits.js';
import { SalesforceOAuth } from './oauth.js';
import { describeOf } from './objects.js';
import { executeRest, type RestContext } from './rest.route.js';
import { SalesforceStore, type SfRecord } from './store.js';

export interface SalesforceSimOptions {
  host?: string;
  port?: number;
  /** The newest version served, e.g. `62.0`; older versions down to 31.0 are accepted in paths. */
  apiVersion?: string;
  clientId?: string;
  clientSecret?: string;
  /** Users pre-authorised for the connected app; the first is the client-credentials run-as user. */
  usernames?: string[];
  /** Public key (PEM or KeyObject) that verifies JWT bearer assertions. */
  jwtPublicKey?: KeyObject | string;
  /** Expected JWT `aud`; defaults to https://login.salesforce.com. */
  audience?: string;
  orgId?: string;
  /** Session lifetime; Salesforce's default session timeout is 2 hours. */
  tokenTtlMs?: number;
  /** Daily API request allocation (Developer Edition: 15,000). */
  dailyApiLimit?: number;
  /** Query batch size; 2000 on Salesforce, smaller in tests to exercise nextRecordsUrl. */
  queryBatchSize?: number;
  clock?: Clock;
  faults?: FaultPlan;
}

export interface SalesforceSim extends SimServer {
  readonly state: SalesforceStore;
  readonly oauth: SalesforceOAuth;
  readonly usage: ApiUsage;
  /** e.g. `v62.0` */
  readonly apiVersion: string;
  /** `${url}/services/data/${apiVersion}` */
  readonly dataUrl: string;
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly username: string;
  /** Seeds a record (validated like an insert; external ids may repeat, as on a non-unique field). */
  seed(type: string, fields: Record<string, unknown>): SfRecord;
}

const DATA_PATH = /^\/services\/data\/v(\d+\.\d)(\/.*)?$/;

/** Starts a Salesforce REST API simulator (OAuth, sObjects, upsert, SOQL, composite, API limits) on loopback. */
export async function startSalesforceSim(options: SalesforceSimOptions = {}): Promise<SalesforceSim> {
  const clock = options.clock ?? systemClock;
  const faults = options.faults ?? new FaultPlan();
  const newest = Number((options.apiVersion ?? '62.0').replace(/^v/, ''));
  const apiVersion = `v${newest.toFixed(1)}`;
  const clientId = options.clientId ?? '3MVG9sim.crossdock.client';
  const clientSecret = options.clientSecret ?? 'sim-client-secret';
  const usernames = options.usernames ?? ['integration@crossdock.sim'];
  const orgId = options.orgId ?? '00D5g000004SIMEAA';
  const store = new SalesforceStore(clock);
  const usage = new ApiUsage(options.dailyApiLimit ?? 15_000);
  let baseUrl = '';
  const oauth = new SalesforceOAuth(
    {
      clientId,
      clientSecret,
      usernames,
      ...(options.jwtPublicKey !== undefined ? { jwtPublicKey: options.jwtPublicKey } : {}),
      audience: options.audience ?? 'https://login.salesforce.com',
      orgId,
      tokenTtlMs: options.tokenTtlMs ?? 2 * 60 * 60 * 1000,
    },
    clock,
    () => baseUrl,
  );
  const cursors: RestContext['cursors'] = new Map();
  const contextFor = (version: string): RestContext => ({
    store,
    version,
    queryBatchSize: options.queryBatchSize ?? 2000,
    cursors,
    limits: () => ({ DailyApiRequests: { Max: usage.limit, Remaining: Math.max(0, usage.limit - usage.used) } }),
  });

  function handleData(req: SimRequest, versionText: string, rest: string): SimResponse {
    const version = Number(versionText);
    if (version < 31 || version > newest) return sfError(404, 'NOT_FOUND', 'The requested resource does not exist');
    if (!oauth.session(header(req, 'authorization'))) return invalidSession();
    if (!usage.take()) return { ...requestLimitExceeded(), headers: usage.header() };
    const body = parseJsonBody(req.rawBody);
    if (req.rawBody.length > 0 && body === undefined)
      return sfError(400, 'JSON_PARSER_ERROR', 'The request body is either invalid or incomplete.');
    const ctx = contextFor(`v${versionText}`);
    if (rest === '/composite') {
      return req.method === 'POST'
        ? executeComposite(ctx, body)
        : sfError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${req.method}' not allowed. Allowed are POST`);
    }
    if (rest === '/composite/graph') {
      return req.method === 'POST'
        ? executeGraph(ctx, body)
        : sfError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${req.method}' not allowed. Allowed are POST`);
    }
    if (rest === '/composite/sobjects') {
      if (req.method === 'POST') return executeCollectionCreate(ctx, body);
      if (req.method === 'PATCH') return executeCollectionUpdate(ctx, body);
      return sfError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${req.method}' not allowed. Allowed are POST, PATCH`);
    }
    return executeRest(ctx, {
      method: req.method,
      path: rest,
      query: req.query,
      body,
      headers: { 'sforce-query-options': header(req, 'sforce-query-options') },
    });
  }

  const http = await startHttpSim({
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
    faults,
    faultResponse: (fault) => salesforceFaultResponse(fault.status),
    control: (req) => handleSalesforceControl(req, { store, faults, usage, oauth }),
    handle: (req) => {
      if (req.path === '/services/oauth2/token') return oauth.handle(req);
      if (req.path === '/services/data' || req.path === '/services/data/') {
        return { status: 200, body: [{ label: 'Sim', url: `/services/data/${apiVersion}`, version: newest.toFixed(1) }] };
      }
      const match = DATA_PATH.exec(req.path);
      if (!match?.[1]) return sfError(404, 'NOT_FOUND', 'The requested resource does not exist');
      const out = handleData(req, match[1], match[2] ?? '/');
      if (out.status === 401) return out;
      return { ...out, headers: { ...(out.headers ?? {}), ...usage.header() } };
    },
  });
  baseUrl = http.url;

  return {
    url: http.url,
    faults,
    state: store,
    oauth,
    usage,
    apiVersion,
    dataUrl: `${http.url}/services/data/${apiVersion}`,
    tokenUrl: `${http.url}/services/oauth2/token`,
    clientId,
    clientSecret,
    username: usernames[0] ?? '',
    seed(type, fields) {
      const describe = describeOf(type);
      if (!describe) throw new Error(`unknown sObject ${type}`);
      const created = store.create(describe, fields);
      if (!created.ok) throw new Error(`seed ${type} refused: ${JSON.stringify(created.response.body)}`);
      return created.value;
    },
    close: () => http.close(),
  };
}
