import {
  type FileTransport,
  type InboundFile,
  InboundFilePoller,
  joinPath,
  type OutboundFileSender,
  type PollResult,
} from '../../connectors/sdk/index.js';
import type { ExceptionQueue } from '../../domains/exceptions/index.js';
import { type Clock, type CrossdockError, defineError, type Logger, systemClock } from '../../kernel/index.js';
import type { Store, Tx } from '../../store/index.js';
import type { CanonicalDocument, Translation } from '../maps/index.js';
import type { AckLedger, PartnerDirectory, PartnerProfile, StoreControlNumbers, StoreSeenInterchanges } from '../partners/index.js';
import { X12Errors } from '../x12/index.js';
import type { EdiOutbox } from './outbox.js';
import { onlyDuplicate, receiveEdifact } from './receive-edifact.js';
import { receiveX12 } from './receive-x12.js';
import { sniffStandard } from './sniff.js';

export const InboxErrors = {
  unreadable: defineError('CD_ERR_EDI_UNREADABLE', { class: 'permanent', title: 'EDI file is neither X12 nor EDIFACT' }),
} as const;

export interface DeliveredDocuments {
  partner: string;
  /** The file's receipt id: the raw file is archived under `<receiptId>_<name>`. */
  receiptId: string;
  documentType: string;
  envelope: Readonly<Record<string, string>>;
  objects: CanonicalDocument[];
}

export interface EdiInboxOptions {
  store: Store;
  partner: PartnerProfile;
  directory: PartnerDirectory;
  transport: FileTransport;
  /** Sends acknowledgements back through the partner's outbound directory. */
  sender: OutboundFileSender;
  controlNumbers: StoreControlNumbers;
  seen: StoreSeenInterchanges;
  ledger: AckLedger;
  outbox: EdiOutbox;
  exceptions?: ExceptionQueue;
  /**
   * Receives the canonical objects of each accepted transaction set, inside the transaction that
   * records the file: publish events with this `tx` and both commit together.
   */
  deliver(docs: DeliveredDocuments, tx: Tx): Promise<void>;
  clock?: Clock;
  logger?: Logger;
}

/**
 * A partner's EDI inbox over SFTP: takes each file once (InboundFilePoller), validates it, refuses
 * duplicates, queues the 997/999 (TA1 when the envelope is wrong) for the outbound directory,
 * reconciles acknowledgements the partner sends, and hands canonical objects to `deliver`. A rejected
 * transaction set is named in the acknowledgement (segment position, tag, element) and raised as an
 * `edi.inbound-rejected` exception pointing at the archived raw file.
 */
export class EdiInbox {
  private readonly poller: InboundFilePoller;
  private readonly clock: Clock;

  constructor(private readonly options: EdiInboxOptions) {
    const t = options.partner.transport;
    if (!t) throw InboxErrors.unreadable(`partner ${options.partner.id} has no transport configured`, { partner: options.partner.id });
    this.clock = options.clock ?? systemClock;
    this.poller = new InboundFilePoller({
      store: options.store,
      transport: options.transport,
      dir: t.inboundDir,
      pattern: new RegExp(t.pattern, 'i'),
      archiveDir: t.archiveDir,
      failedDir: t.failedDir,
      intervalMs: t.pollIntervalMs,
      handle: (file, tx) => this.handle(file, tx),
      clock: this.clock,
      ...(options.logger ? { logger: options.logger } : {}),
    });
  }

  /** One poll, then the acknowledgements it produced are uploaded. */
  async pollOnce(): Promise<PollResult & { acksSent: string[] }> {
    const result = await this.poller.pollOnce();
    const acksSent = await this.options.outbox.flush(this.options.partner.id, this.options.sender);
    return { ...result, acksSent };
  }

  private async handle(file: InboundFile, tx: Tx): Promise<void> {
    const standard = sniffStandard(file.content);
    if (standard === 'x12') return this.handleX12(file, tx);
    if (standard === 'edifact') return this.handleEdifact(file, tx);
    throw InboxErrors.unreadable(`${file.name}: starts with neither ISA nor UNA/UNB`, { file: file.path });
  }

  private async handleX12(file: InboundFile, tx: Tx): Promise<void> {
    const { partner } = this.options;
    const receipt = await receiveX12(file.content, {
      partner,
      directory: this.options.directory,
      seen: this.options.seen.registry(partner.id, file.path, tx),
      allocator: this.options.controlNumbers.x12(partner.id, tx),
      now: new Date(this.clock.now()),
    });
    await this.queueAcks(receipt.acks, partner.acknowledgements.kind, tx);
    if (receipt.received.ta1.length > 0 || receipt.received.functional.length > 0) {
      await this.options.ledger.reconcileX12(partner.id, receipt.received, tx);
    }
    await this.deliverAll(file, receipt.translations, tx);
    const rejections = receipt.rejected
      // A retransmission is answered (TA1 025) but is nobody's problem.
      .filter((r) => !r.errors.every((e) => e.code === X12Errors.duplicate.code))
      .map((r) => ({
        control: r.control,
        type: r.transactionSet,
        errors: r.errors.map((e) => ({
          code: e.code,
          message: e.message,
          segment: e.segmentTag,
          position: e.segmentPosition,
          element: e.elementPosition,
          component: e.componentPosition,
        })),
      }));
    await this.raise(file, rejections, receipt.mappingErrors, tx);
  }

  private async handleEdifact(file: InboundFile, tx: Tx): Promise<void> {
    const { partner } = this.options;
    const receipt = await receiveEdifact(file.content, {
      partner,
      directory: this.options.directory,
      seen: this.options.seen.registry(partner.id, file.path, tx),
      allocator: this.options.controlNumbers.edifact(partner.id, tx),
      clock: this.clock,
    });
    await this.queueAcks(receipt.acks, 'CONTRL', tx);
    for (const report of receipt.received) await this.options.ledger.reconcileEdifact(partner.id, report, tx);
    await this.deliverAll(file, receipt.translations, tx);
    const rejections = receipt.rejected
      .filter((r) => !onlyDuplicate(r.errors))
      .map((r) => ({
        control: r.control,
        type: r.messageType,
        errors: r.errors.map((e) => ({
          code: e.code,
          message: e.message,
          segment: e.location.tag,
          position: e.location.segmentPosition,
          element: e.location.elementPosition,
          component: e.location.componentPosition,
        })),
      }));
    await this.raise(file, rejections, receipt.mappingErrors, tx);
  }

  private async queueAcks(acks: ReadonlyArray<{ interchangeControl: string; text: string }>, kind: string, tx: Tx): Promise<void> {
    const { partner } = this.options;
    const outboundDir = partner.transport?.outboundDir ?? '/';
    for (const ack of acks) {
      await this.options.outbox.enqueue(
        {
          id: `ack:${partner.id}:${ack.interchangeControl}`,
          partner: partner.id,
          path: joinPath(outboundDir, `${kind}_${ack.interchangeControl}.edi`),
          content: ack.text,
        },
        tx,
      );
    }
  }

  private async deliverAll(file: InboundFile, translations: readonly Translation[], tx: Tx): Promise<void> {
    for (const t of translations) {
      await this.options.deliver(
        {
          partner: this.options.partner.id,
          receiptId: file.receiptId,
          documentType: t.documentType,
          envelope: t.envelope,
          objects: t.objects,
        },
        tx,
      );
    }
  }

  /** Rejected sets/messages and mapping failures become exceptions pointing at the archived raw file. */
  private async raise(
    file: InboundFile,
    rejections: readonly Rejection[],
    mappingErrors: readonly CrossdockError[],
    tx: Tx,
  ): Promise<void> {
    const { partner, exceptions } = this.options;
    if (!exceptions) return;
    for (const r of rejections) {
      const first = r.errors[0];
      await exceptions.raise(
        {
          category: 'edi.inbound-rejected',
          title: `${partner.id} ${r.type} ${r.control} rejected: ${first?.message ?? 'invalid'}`,
          detail: { receiptId: file.receiptId, file: file.name, errors: r.errors },
          source: 'edi',
          subject: `edi/${partner.id}/receipt/${file.receiptId}`,
          dedupeKey: `edi.inbound-rejected:${partner.id}:${file.receiptId}:${r.control}`,
          partner: partner.id,
        },
        tx,
      );
    }
    for (const err of mappingErrors) {
      await exceptions.raise(
        {
          category: 'edi.mapping-failed',
          title: `${partner.id}: ${err.message}`,
          detail: { receiptId: file.receiptId, ...err.details },
          source: 'edi',
          subject: `edi/${partner.id}/receipt/${file.receiptId}`,
          dedupeKey: `edi.mapping-failed:${partner.id}:${file.receiptId}:${String(err.details.transactionControl ?? '')}`,
          partner: partner.id,
        },
        tx,
      );
    }
  }
}

interface Rejection {
  control: string;
  type: string;
  errors: Array<{
    code: string;
    message: string;
    segment: string | undefined;
    position: number | undefined;
    element: number | undefined;
    component: number | undefined;
  }>;
}
