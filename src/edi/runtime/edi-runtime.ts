import { type FileTransport, OutboundFileSender, type PollResult } from '../../connectors/sdk/index.js';
import type { ExceptionQueue } from '../../domains/exceptions/index.js';
import { type Clock, type Logger, sleep, systemClock } from '../../kernel/index.js';
import type { Store, Tx } from '../../store/index.js';
import type { MapRegistry } from '../maps/index.js';
import { builtinMaps } from '../maps/index.js';
import type { PartnerProfile } from '../partners/index.js';
import { AckLedger, PartnerDirectory, StoreControlNumbers, StoreSeenInterchanges } from '../partners/index.js';
import { type DeliveredDocuments, EdiInbox, EdiOutbound, EdiOutbox } from '../transport/index.js';

export interface EdiRuntimeOptions {
  store: Store;
  profiles: readonly PartnerProfile[];
  /**
   * The file transport of a partner (SFTP today; AS2 later behind the same `FileTransport`). Called
   * once per partner with a `transport:` block; partners without one can still be sent to and read
   * from the CLI, but are not polled.
   */
  transportFor(partner: PartnerProfile): FileTransport;
  exceptions: ExceptionQueue;
  /** Canonical objects of an accepted document, inside the transaction that records the file. */
  deliver(docs: DeliveredDocuments, tx: Tx): Promise<void>;
  maps?: MapRegistry;
  /** How often pending acknowledgements are checked for being overdue (default one minute). */
  overdueCheckMs?: number;
  clock?: Clock;
  logger?: Logger;
}

interface PartnerLink {
  partner: PartnerProfile;
  transport: FileTransport;
  sender: OutboundFileSender;
  inbox: EdiInbox;
}

/**
 * Everything EDI a hub runs for its trading partners: one inbox per partner with a transport, the
 * outbound path (control numbers, acknowledgement ledger, outbox), and the overdue-acknowledgement
 * check. `pollOnce` / `checkOverdue` are what the timers call; tests call them directly.
 */
export class EdiRuntime {
  readonly directory: PartnerDirectory;
  readonly controlNumbers: StoreControlNumbers;
  readonly seen: StoreSeenInterchanges;
  readonly ledger: AckLedger;
  readonly outbox: EdiOutbox;
  readonly outbound: EdiOutbound;
  private readonly links = new Map<string, PartnerLink>();
  private readonly clock: Clock;
  private abort = new AbortController();
  private loops: Promise<void>[] = [];

  constructor(private readonly options: EdiRuntimeOptions) {
    const { store } = options;
    this.clock = options.clock ?? systemClock;
    const clock = this.clock;
    this.directory = new PartnerDirectory(options.profiles, options.maps ?? builtinMaps());
    this.controlNumbers = new StoreControlNumbers(store, { clock });
    this.seen = new StoreSeenInterchanges(store, { clock });
    this.ledger = new AckLedger(store, { exceptions: options.exceptions, clock });
    this.outbox = new EdiOutbox(store, { clock });
    this.outbound = new EdiOutbound({
      store,
      directory: this.directory,
      controlNumbers: this.controlNumbers,
      ledger: this.ledger,
      outbox: this.outbox,
      clock,
    });
    // A partner's owner gets its EDI exceptions (rules added to what the queue already has).
    options.exceptions.setOwnerRules([...options.exceptions.ownerRules(), ...this.directory.ownerRules()]);
    for (const partner of this.directory.list()) {
      if (!partner.transport) continue;
      const transport = options.transportFor(partner);
      const sender = new OutboundFileSender({ store, transport, clock, ...(options.logger ? { logger: options.logger } : {}) });
      const inbox = new EdiInbox({
        store,
        partner,
        directory: this.directory,
        transport,
        sender,
        controlNumbers: this.controlNumbers,
        seen: this.seen,
        ledger: this.ledger,
        outbox: this.outbox,
        exceptions: options.exceptions,
        deliver: options.deliver,
        clock,
        ...(options.logger ? { logger: options.logger } : {}),
      });
      this.links.set(partner.id, { partner, transport, sender, inbox });
    }
  }

  /** Partners with a transport, i.e. those polled. */
  polledPartners(): string[] {
    return [...this.links.keys()];
  }

  /** One poll of one partner's inbox, then whatever waits in its outbox is uploaded. */
  async pollPartner(id: string): Promise<PollResult & { acksSent: string[] }> {
    const link = this.links.get(id);
    if (!link) return { processed: [], failed: [], duplicates: [], retrying: [], moved: [], moveErrors: [], acksSent: [] };
    return link.inbox.pollOnce();
  }

  /** One poll of every partner. */
  async pollOnce(): Promise<Record<string, PollResult & { acksSent: string[] }>> {
    const out: Record<string, PollResult & { acksSent: string[] }> = {};
    for (const id of this.links.keys()) out[id] = await this.pollPartner(id);
    return out;
  }

  /** Uploads what waits in a partner's outbox (documents sent with `outbound.send`). */
  async flush(id: string): Promise<string[]> {
    const link = this.links.get(id);
    return link ? this.outbox.flush(id, link.sender) : [];
  }

  /** Raises `edi.ack-overdue` for what is past due; returns how many interchanges were raised. */
  async checkOverdue(): Promise<number> {
    return this.ledger.raiseOverdue(this.clock.now());
  }

  /** Timers: each partner polled at its `pollIntervalMs`, the overdue check every `overdueCheckMs`. */
  start(): void {
    // Restartable: a cluster hands the timers from one process to another and back.
    if (this.loops.length > 0) return;
    if (this.abort.signal.aborted) this.abort = new AbortController();
    const signal = this.abort.signal;
    const every = (name: string, ms: number, fn: () => Promise<unknown>) =>
      (async () => {
        while (!signal.aborted) {
          try {
            await fn();
          } catch (err) {
            this.options.logger?.warn({ err, job: name }, 'edi job failed; will run again');
          }
          await sleep(ms, signal).catch(() => {});
        }
      })();
    for (const link of this.links.values()) {
      this.loops.push(
        every(`poll:${link.partner.id}`, link.partner.transport?.pollIntervalMs ?? 60_000, () => this.pollPartner(link.partner.id)),
      );
    }
    this.loops.push(every('ack-overdue', this.options.overdueCheckMs ?? 60_000, () => this.checkOverdue()));
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.all(this.loops);
    this.loops = [];
    for (const link of this.links.values()) await link.transport.close().catch(() => {});
  }

  /** Whether the polling and overdue timers run in this process. */
  get running(): boolean {
    return this.loops.length > 0;
  }
}
