import { type Clock, sleep, systemClock } from '../../kernel/index.js';
import { FaultPlan, type SimServer } from '../kit/faults.js';
import { type SimRequest, type SimResponse, startHttpSim } from '../kit/http-sim.js';
import { ConcurrencyGate } from './concurrency.js';
import { handleNetSuiteControl, type NetSuiteControlDeps } from './control.route.js';
import { concurrencyExceeded, invalidLogin, netsuiteFaultResponse, nsError } from './errors.js';
import { handleRecord, RECORD_PREFIX } from './record.route.js';
import { recordTypeOf } from './records.js';
import { NetSuiteStore, type NsRecord } from './store.js';
import { handleSuiteql, SUITEQL_PATH } from './suiteql.route.js';
import { type TbaCredentials, TbaVerifier } from './tba.js';

export interface NetSuiteSimOptions {
  host?: string;
  port?: number;
  credentials?: Partial<TbaCredentials>;
  /** Concurrent requests allowed per account (shared tier without SuiteCloud Plus: 5). */
  concurrencyLimit?: number;
  /** Time each API request holds its concurrency slot, to make overlap observable. */
  processingDelayMs?: number;
  /** Accepted distance between oauth_timestamp and the server clock. */
  maxSkewSeconds?: number;
  clock?: Clock;
  faults?: FaultPlan;
}

export interface NetSuiteSim extends SimServer {
  readonly state: NetSuiteStore;
  readonly credentials: TbaCredentials;
  readonly gate: ConcurrencyGate;
  /** `${url}/services/rest/record/v1` */
  readonly recordUrl: string;
  /** `${url}/services/rest/query/v1/suiteql` */
  readonly suiteqlUrl: string;
  readonly loginAudit: NetSuiteControlDeps['loginAudit'];
  readonly settings: { processingDelayMs: number };
  seed(type: string, fields: Record<string, unknown>): NsRecord;
}

const DEFAULT_CREDENTIALS: TbaCredentials = {
  accountId: '1234567_SB1',
  consumerKey: 'sim-consumer-key-0001',
  consumerSecret: 'sim-consumer-secret-0001',
  tokenId: 'sim-token-id-0001',
  tokenSecret: 'sim-token-secret-0001',
};

/** Starts a NetSuite REST web services simulator (TBA, record service, SuiteQL, concurrency governance) on loopback. */
export async function startNetSuiteSim(options: NetSuiteSimOptions = {}): Promise<NetSuiteSim> {
  const clock = options.clock ?? systemClock;
  const faults = options.faults ?? new FaultPlan();
  const credentials: TbaCredentials = { ...DEFAULT_CREDENTIALS, ...options.credentials };
  const store = new NetSuiteStore(clock);
  const gate = new ConcurrencyGate(options.concurrencyLimit ?? 5);
  const settings = { processingDelayMs: options.processingDelayMs ?? 0 };
  const verifier = new TbaVerifier({ credentials, clock, maxSkewSeconds: options.maxSkewSeconds ?? 300 });
  const loginAudit: NetSuiteControlDeps['loginAudit'] = [];
  let baseUrl = '';

  function route(req: SimRequest): SimResponse {
    if (req.path === SUITEQL_PATH) return handleSuiteql(req, store, baseUrl);
    if (req.path.startsWith(`${RECORD_PREFIX}/`)) return handleRecord(req, { store, baseUrl });
    return nsError(404, 'INVALID_URL', 'The requested URL is not valid.', { 'o:urlPath': req.path });
  }

  const http = await startHttpSim({
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
    faults,
    faultResponse: (fault) => netsuiteFaultResponse(fault.status, credentials.accountId),
    control: (req) => handleNetSuiteControl(req, { store, faults, gate, settings, loginAudit }),
    handle: (req) => {
      const auth = verifier.verify(req);
      if (!auth.ok) {
        loginAudit.push({ at: new Date(clock.now()).toISOString(), method: req.method, path: req.path, detail: auth.reason });
        return invalidLogin(credentials.accountId);
      }
      return gate.run(async () => {
        if (settings.processingDelayMs > 0) await sleep(settings.processingDelayMs);
        return route(req);
      }, concurrencyExceeded);
    },
  });
  baseUrl = http.url;

  return {
    url: http.url,
    faults,
    state: store,
    credentials,
    gate,
    recordUrl: `${http.url}${RECORD_PREFIX}`,
    suiteqlUrl: `${http.url}${SUITEQL_PATH}`,
    loginAudit,
    settings,
    seed(type, fields) {
      const spec = recordTypeOf(type);
      if (!spec) throw new Error(`unknown record type ${type}`);
      const created = store.create(spec, fields);
      if (!created.ok) throw new Error(`seed ${type} refused: ${JSON.stringify(created.response.body)}`);
      return created.value;
    },
    close: () => http.close(),
  };
}
