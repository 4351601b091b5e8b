import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { type CredentialVault, type FileTransport, SftpTransport } from '../../../connectors/sdk/index.js';
import { ExceptionQueue } from '../../../domains/exceptions/index.js';
import { EdiRuntime, inboundEvents, loadPartnerProfilesFrom, PartnerErrors, type PartnerProfile } from '../../../edi/index.js';
import type { Clock } from '../../../kernel/index.js';
import { systemClock } from '../../../kernel/index.js';
import { type LeaderElection, type LeaderHandle, PostgresLeaderElection } from '../../../store/index.js';
import type { HubContext, HubModule } from '../modules.js';

/** Where partner profiles are looked for when the module is not given them. */
export const EDI_PARTNERS_ENV = 'CROSSDOCK_EDI_PARTNERS';
export const DEFAULT_PARTNERS_FILE = 'crossdock.partners.yaml';

export interface EdiModuleOptions {
  /** Profiles, or a file / directory of them; default `$CROSSDOCK_EDI_PARTNERS`, then ./crossdock.partners.yaml. */
  partners?: readonly PartnerProfile[] | string;
  /** Environment for `privateKeyRef` lookups (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Builds a partner's transport (default: SFTP from its profile, key from `privateKeyRef`). */
  transportFor?: (partner: PartnerProfile) => FileTransport;
  /** Start the polling and overdue timers (default true; tests drive `services.edi` by hand). */
  timers?: boolean;
  /** Who runs the timers in a cluster (default: a PostgreSQL advisory-lock election on the store). */
  election?: LeaderElection;
  overdueCheckMs?: number;
  clock?: Clock;
  cwd?: string;
}

/**
 * The SFTP private key a profile names: the environment variable `privateKeyRef` holding the key,
 * or `<privateKeyRef>_FILE` holding a path to it. The profile never contains the key itself.
 */
/** `privateKeyRef: vault:<name>`: the key is sealed in the hub's credential vault (`crossdock edi key set`). */
export const VAULT_KEY_PREFIX = 'vault:';
/** The vault entry (connector, instance) of a partner's SFTP key named `vault:<name>`. */
export const sftpKeyEntry = (name: string) => ({ connector: 'edi-sftp', instance: name });

/**
 * A partner's SFTP private key: from the credential vault (`vault:<name>`), from the environment
 * variable the profile names, or from the file named by `<VAR>_FILE`.
 */
export function privateKeyFor(
  partner: PartnerProfile,
  env: Readonly<Record<string, string | undefined>>,
  fromVault: ReadonlyMap<string, string> = new Map(),
): string {
  const ref = partner.transport?.privateKeyRef ?? '';
  if (ref.startsWith(VAULT_KEY_PREFIX)) {
    const key = fromVault.get(ref.slice(VAULT_KEY_PREFIX.length));
    if (key) return key;
    throw PartnerErrors.invalid(`partner ${partner.id}: no key ${ref} in the credential vault; store it with \`crossdock edi key set\``, {
      partner: partner.id,
      path: 'transport.privateKeyRef',
    });
  }
  const inline = env[ref];
  if (inline) return inline;
  const file = env[`${ref}_FILE`];
  if (file && existsSync(file)) return readFileSync(file, 'utf8');
  throw PartnerErrors.invalid(`partner ${partner.id}: no private key in environment variable ${ref} or a file named by ${ref}_FILE`, {
    partner: partner.id,
    path: 'transport.privateKeyRef',
  });
}

/** Opens the vault keys the profiles name (`vault:<name>`), before any transport is built. */
async function vaultKeys(profiles: readonly PartnerProfile[], vault: CredentialVault): Promise<Map<string, string>> {
  const names = profiles.map((p) => p.transport?.privateKeyRef ?? '').filter((ref) => ref.startsWith(VAULT_KEY_PREFIX));
  const out = new Map<string, string>();
  if (names.length === 0) return out;
  for (const ref of names) {
    const name = ref.slice(VAULT_KEY_PREFIX.length);
    const entry = sftpKeyEntry(name);
    const stored = await vault.get(entry.connector, entry.instance).catch(() => undefined);
    if (typeof stored === 'string') out.set(name, stored);
  }
  return out;
}

function sftpFor(
  partner: PartnerProfile,
  env: Readonly<Record<string, string | undefined>>,
  fromVault: ReadonlyMap<string, string>,
): FileTransport {
  const t = partner.transport;
  if (!t) throw PartnerErrors.invalid(`partner ${partner.id} has no transport`, { partner: partner.id });
  return new SftpTransport({
    id: `sftp:${partner.id}`,
    host: t.host,
    port: t.port,
    username: t.username,
    privateKey: privateKeyFor(partner, env, fromVault),
    hostFingerprint: t.hostFingerprint,
  });
}

function locate(options: EdiModuleOptions, env: Readonly<Record<string, string | undefined>>): readonly PartnerProfile[] {
  if (Array.isArray(options.partners)) return options.partners;
  const cwd = options.cwd ?? process.cwd();
  const given = typeof options.partners === 'string' ? options.partners : env[EDI_PARTNERS_ENV];
  if (given) {
    const path = isAbsolute(given) ? given : resolve(cwd, given);
    if (!existsSync(path)) throw PartnerErrors.invalid(`partner profiles ${path} do not exist`, { path });
    return loadPartnerProfilesFrom(path);
  }
  const fallback = resolve(cwd, DEFAULT_PARTNERS_FILE);
  return existsSync(fallback) ? loadPartnerProfilesFrom(fallback) : [];
}

/**
 * The EDI hub module. With trading partners configured it polls their inboxes, translates what they
 * send to canonical objects, publishes canonical events (in the transaction that records the file),
 * sends acknowledgements, and raises `edi.ack-overdue` when a partner's acknowledgement is late. With
 * no partner configured it does nothing at all. Offers the runtime as `services.edi`.
 */
export function createEdiModule(options: EdiModuleOptions = {}): HubModule {
  return {
    name: 'edi',
    async start(ctx: HubContext) {
      const env = options.env ?? process.env;
      const profiles = locate(options, env);
      if (profiles.length === 0) {
        ctx.logger.debug('edi: no trading partner configured');
        return;
      }
      const clock = options.clock ?? systemClock;
      const shared = ctx.services.exceptions;
      const exceptions = shared instanceof ExceptionQueue ? shared : new ExceptionQueue(ctx.store, { clock });
      const logger = ctx.logger.child({ component: 'edi' });
      const fromVault = await vaultKeys(profiles, ctx.vault);
      const runtime = new EdiRuntime({
        store: ctx.store,
        profiles,
        exceptions,
        transportFor: options.transportFor ?? ((p) => sftpFor(p, env, fromVault)),
        deliver: async (docs, tx) => {
          const byTopic = new Map<string, ReturnType<typeof inboundEvents>[number]['event'][]>();
          for (const { topic, event } of inboundEvents(docs, clock.now())) byTopic.set(topic, [...(byTopic.get(topic) ?? []), event]);
          for (const [topic, events] of byTopic) await ctx.eventlog.publish(topic, events, { tx });
        },
        clock,
        logger,
        ...(options.overdueCheckMs !== undefined ? { overdueCheckMs: options.overdueCheckMs } : {}),
      });
      ctx.services.edi = runtime;
      let leader: LeaderHandle | undefined;
      if ((options.timers ?? true) && ctx.embedded) runtime.start();
      else if (options.timers ?? true) {
        // One process polls the partners' inboxes and checks overdue acknowledgements; the others
        // stand by and take over if it goes (files are claimed in the store, so a handover never
        // processes one twice, but polling once saves the partners' servers and the network).
        const election = options.election ?? new PostgresLeaderElection({ url: ctx.config.store, logger });
        leader = runTimersAsLeader(runtime, election, `edi-timers ${ctx.config.store}`);
      }
      ctx.lifecycle.onStop('edi', async () => {
        if (leader) await leader.stop();
        await runtime.stop();
      });
      logger.info({ partners: profiles.map((p) => p.id), polled: runtime.polledPartners() }, 'edi: trading partners loaded');
    },
  };
}

/**
 * Runs the runtime's timers while this process leads `job`; stops them when leadership is lost, so
 * another process can take over at once.
 */
export function runTimersAsLeader(runtime: Pick<EdiRuntime, 'start' | 'stop'>, election: LeaderElection, job: string): LeaderHandle {
  return election.runAsLeader(job, async (signal) => {
    runtime.start();
    await new Promise<void>((done) => {
      if (signal.aborted) done();
      else signal.addEventListener('abort', () => done(), { once: true });
    });
    await runtime.stop();
  });
}

/** The module the hub runs: partners from `$CROSSDOCK_EDI_PARTNERS` or ./crossdock.partners.yaml. */
export const ediModule: HubModule = createEdiModule();
