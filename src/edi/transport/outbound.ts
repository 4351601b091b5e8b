import { joinPath } from '../../connectors/sdk/index.js';
import { type Clock, systemClock } from '../../kernel/index.js';
import type { Store, Tx } from '../../store/index.js';
import { buildEdifactInterchange, buildX12Interchange, MapErrors, stableId, writeBody } from '../maps/index.js';
import type { AckLedger, DocumentAgreement, PartnerDirectory, PartnerProfile, StoreControlNumbers } from '../partners/index.js';
import type { EdiOutbox } from './outbox.js';

export interface OutboundResult {
  partner: string;
  documentType: string;
  interchangeControl: number;
  groupControl: number;
  transactionControls: number[];
  path: string;
  text: string;
}

/**
 * Canonical objects → an interchange for a partner: the partner's agreed map (with overrides), its
 * ids, version and delimiters, the next control numbers, recorded as awaiting acknowledgement, and
 * queued for upload, all in one transaction.
 */
export class EdiOutbound {
  private readonly clock: Clock;
  constructor(
    private readonly deps: {
      store: Store;
      directory: PartnerDirectory;
      controlNumbers: StoreControlNumbers;
      ledger: AckLedger;
      outbox: EdiOutbox;
      clock?: Clock;
    },
  ) {
    this.clock = deps.clock ?? systemClock;
  }

  /** One transaction set per object (`schema` such as `invoice.v1`; an 846 takes all positions in one set). */
  async send(
    partnerId: string,
    schema: string,
    objects: readonly unknown[],
    options: { documentId?: string } = {},
    tx?: Tx,
  ): Promise<OutboundResult> {
    const { directory } = this.deps;
    const partner = directory.get(partnerId);
    if (partner.standard === 'edifact') return this.sendEdifact(partner, schema, objects, options, tx);
    const settings = partner.x12;
    if (!settings) throw MapErrors.noMap(`partner ${partnerId} has no x12 settings`, { partner: partnerId });
    const agreement = this.agreementFor(partner, schema, settings.version);
    const map = directory.mapFor(partner, agreement, 'outbound', settings.version);
    const batches = map.documentType === '846' ? [objects] : objects.map((o) => [o]);
    return this.deps.store.transaction(async (t) => {
      const now = this.clock.now();
      const interchange = await this.deps.controlNumbers.next(partner.id, 'interchange', t);
      const group = await this.deps.controlNumbers.next(partner.id, 'group', t);
      const transactions: number[] = [];
      for (const _ of batches) transactions.push(await this.deps.controlNumbers.next(partner.id, 'transaction', t));
      const envelope = { standard: 'x12', interchangeControl: String(interchange), timestamp: new Date(now).toISOString() };
      const bodies = batches.map((b, i) =>
        writeBody(map, b, {
          partner: partner.id,
          documentKey: stableId('out', partner.id, String(transactions[i] ?? i)),
          envelope,
          defaultCurrency: partner.defaultCurrency,
        }),
      );
      const text = buildX12Interchange(
        map.documentType,
        map.functionalId ?? 'PO',
        bodies,
        {
          sender: settings.ours,
          receiver: settings.theirs,
          ...(settings.groupIds ? { groupSender: settings.groupIds.ours, groupReceiver: settings.groupIds.theirs } : {}),
          version: settings.version,
          delimiters: settings.delimiters,
          usage: settings.usage,
          requestTa1: settings.requestTa1,
          lineEnding: settings.lineEnding,
        },
        { interchange, group, transactions },
        new Date(now),
      );
      const acks = partner.acknowledgements;
      await this.deps.ledger.record(
        transactions.map((tc) => ({
          partner: partner.id,
          standard: 'x12' as const,
          interchangeControl: String(interchange),
          groupControl: String(group),
          transactionControl: String(tc).padStart(4, '0'),
          documentType: map.documentType,
          ...(options.documentId !== undefined ? { documentId: options.documentId } : {}),
          ...(acks.expect ? { dueAt: now + acks.expectWithinMinutes * 60_000 } : {}),
        })),
        t,
      );
      const dir = partner.transport?.outboundDir ?? '/';
      const path = `${dir}/${map.documentType}_${String(interchange).padStart(9, '0')}.edi`;
      await this.deps.outbox.enqueue({ id: `out:${partner.id}:${interchange}`, partner: partner.id, path, content: text }, t);
      return {
        partner: partner.id,
        documentType: map.documentType,
        interchangeControl: interchange,
        groupControl: group,
        transactionControls: transactions,
        path,
        text,
      };
    }, tx);
  }

  private agreementFor(partner: PartnerProfile, schema: string, version: string): DocumentAgreement {
    const agreement = partner.outbound.find((a) => this.deps.directory.mapFor(partner, a, 'outbound', version).canonical === schema);
    if (!agreement) throw MapErrors.noMap(`no outbound document agreed with ${partner.id} for ${schema}`, { partner: partner.id, schema });
    return agreement;
  }

  /** The EDIFACT path: UNB/UNH…UNT/UNZ with the partner's ids, syntax, directory and separators. */
  private async sendEdifact(
    partner: PartnerProfile,
    schema: string,
    objects: readonly unknown[],
    options: { documentId?: string },
    tx?: Tx,
  ): Promise<OutboundResult> {
    const settings = partner.edifact;
    if (!settings) throw MapErrors.noMap(`partner ${partner.id} has no edifact settings`, { partner: partner.id });
    const map = this.deps.directory.mapFor(partner, this.agreementFor(partner, schema, settings.version), 'outbound', settings.version);
    const batches = map.documentType === 'INVRPT' ? [objects] : objects.map((o) => [o]);
    return this.deps.store.transaction(async (t) => {
      const now = this.clock.now();
      const interchange = await this.deps.controlNumbers.next(partner.id, 'interchange', t);
      const messages: number[] = [];
      for (const _ of batches) messages.push(await this.deps.controlNumbers.next(partner.id, 'message', t));
      const envelope = { standard: 'edifact', interchangeControl: String(interchange), timestamp: new Date(now).toISOString() };
      const bodies = batches.map((b, i) =>
        writeBody(map, b, {
          partner: partner.id,
          documentKey: stableId('out', partner.id, String(messages[i] ?? i)),
          envelope,
          defaultCurrency: partner.defaultCurrency,
        }),
      );
      const text = buildEdifactInterchange(
        map.documentType,
        bodies,
        {
          sender: settings.ours,
          recipient: settings.theirs,
          syntax: settings.syntax,
          version: settings.version,
          ...(settings.associationCode !== undefined ? { associationCode: settings.associationCode } : {}),
          ...(settings.separators ? { separators: settings.separators } : {}),
          test: settings.test,
        },
        { interchange: String(interchange), messages: messages.map(String) },
        new Date(now),
      );
      const acks = partner.acknowledgements;
      await this.deps.ledger.record(
        messages.map((m) => ({
          partner: partner.id,
          standard: 'edifact' as const,
          interchangeControl: String(interchange),
          groupControl: '',
          transactionControl: String(m),
          documentType: map.documentType,
          ...(options.documentId !== undefined ? { documentId: options.documentId } : {}),
          ...(acks.expect ? { dueAt: now + acks.expectWithinMinutes * 60_000 } : {}),
        })),
        t,
      );
      const path = joinPath(partner.transport?.outboundDir ?? '/', `${map.documentType}_${String(interchange).padStart(9, '0')}.edi`);
      await this.deps.outbox.enqueue({ id: `out:${partner.id}:${interchange}`, partner: partner.id, path, content: text }, t);
      return {
        partner: partner.id,
        documentType: map.documentType,
        interchangeControl: interchange,
        groupControl: 0,
        transactionControls: messages,
        path,
        text,
      };
    }, tx);
  }
}
