import type { ExceptionQueue } from '../../domains/exceptions/index.js';
import { type Clock, systemClock } from '../../kernel/index.js';
import type { Store, Tx } from '../../store/index.js';
import type { ContrlReport } from '../edifact/index.js';
import type { FunctionalAckResult, Ta1Result } from '../x12/index.js';

export const ACK_OVERDUE = 'edi.ack-overdue';

export interface SentDocument {
  partner: string;
  standard: 'x12' | 'edifact';
  interchangeControl: string;
  /** GS06; '' for EDIFACT without UNG. */
  groupControl: string;
  /** ST02 or UNH 0062. */
  transactionControl: string;
  documentType: string;
  documentId?: string;
  /** When the acknowledgement is due; absent: none expected. */
  dueAt?: number;
}

export type AckStatus = 'pending' | 'accepted' | 'rejected';

export interface AckOutcome {
  partner: string;
  interchangeControl: string;
  groupControl: string;
  transactionControl: string;
  documentType: string;
  documentId: string | null;
  status: AckStatus;
  /** Why, for a rejection: codes and the segments/elements the partner named. */
  detail: string | null;
}

const trimZeros = (s: string) => s.replace(/^0+(?=\d)/, '');

/**
 * What we sent and what the partner said about it. Every outbound transaction set / message is
 * recorded `pending`; TA1, 997/999 and CONTRL are matched to it by control numbers (leading zeros
 * ignored: partners echo ISA13 and UNB 0020 unpadded). An acknowledgement not back by `dueAt` raises
 * `edi.ack-overdue` for the partner; one that arrives later closes that exception.
 */
export class AckLedger {
  private readonly clock: Clock;
  constructor(
    private readonly store: Store,
    private readonly options: { exceptions?: ExceptionQueue; clock?: Clock } = {},
  ) {
    this.clock = options.clock ?? systemClock;
  }

  async record(docs: readonly SentDocument[], tx?: Tx): Promise<void> {
    await this.store.transaction(async (t) => {
      for (const d of docs) {
        await t.db
          .insertInto('edi_outbound_acks')
          .values({
            partner: d.partner,
            standard: d.standard,
            interchange_control: trimZeros(d.interchangeControl),
            group_control: trimZeros(d.groupControl),
            transaction_control: d.transactionControl,
            document_type: d.documentType,
            document_id: d.documentId ?? null,
            status: d.dueAt === undefined ? 'accepted' : 'pending',
            detail: d.dueAt === undefined ? 'no acknowledgement expected' : null,
            sent_at: this.clock.now(),
            due_at: d.dueAt ?? null,
            acked_at: null,
            overdue_raised: 0,
          })
          .execute();
      }
    }, tx);
  }

  async list(partner?: string): Promise<AckOutcome[]> {
    let q = this.store.db.selectFrom('edi_outbound_acks').selectAll();
    if (partner) q = q.where('partner', '=', partner);
    const rows = await q.orderBy('sent_at').orderBy('interchange_control').orderBy('transaction_control').execute();
    return rows.map((r) => ({
      partner: r.partner,
      interchangeControl: r.interchange_control,
      groupControl: r.group_control,
      transactionControl: r.transaction_control,
      documentType: r.document_type,
      documentId: r.document_id,
      status: r.status === 'accepted' || r.status === 'rejected' ? r.status : 'pending',
      detail: r.detail,
    }));
  }

  private async settle(
    t: Tx,
    partner: string,
    where: { interchange?: string; group?: string; transaction?: string; onlyPending?: boolean },
    status: AckStatus,
    detail: string | null,
  ): Promise<number> {
    let q = t.db.updateTable('edi_outbound_acks').set({ status, detail, acked_at: this.clock.now() }).where('partner', '=', partner);
    if (where.interchange !== undefined) q = q.where('interchange_control', '=', trimZeros(where.interchange));
    if (where.group !== undefined) q = q.where('group_control', '=', trimZeros(where.group));
    if (where.transaction !== undefined) q = q.where('transaction_control', '=', where.transaction);
    if (where.onlyPending) q = q.where('status', '=', 'pending');
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /** Applies a partner's TA1s and 997/999s; returns the documents whose status changed. */
  async reconcileX12(
    partner: string,
    acks: { ta1: readonly Ta1Result[]; functional: readonly FunctionalAckResult[] },
    tx?: Tx,
  ): Promise<number> {
    return this.store.transaction(async (t) => {
      let changed = 0;
      for (const ta1 of acks.ta1) {
        // TA1 A only says the envelope was readable: the 997/999 decides. R rejects everything inside.
        if (ta1.status === 'R')
          changed += await this.settle(t, partner, { interchange: ta1.control }, 'rejected', `TA1 R note ${ta1.note}`);
      }
      for (const fa of acks.functional) {
        const listed = new Set<string>();
        for (const tr of fa.transactions) {
          listed.add(tr.control);
          const notes = tr.segments.map(
            (s) =>
              `${s.tag} at ${s.position}${s.code ? ` (${s.code})` : ''}${s.elements.map((e) => `, element ${e.position}${e.component ? `-${e.component}` : ''} code ${e.code}`).join('')}`,
          );
          const detail = `${fa.kind} ${tr.transactionSetId} ${tr.status}${tr.codes.length ? ` codes ${tr.codes.join(',')}` : ''}${notes.length ? `: ${notes.join('; ')}` : ''}`;
          changed += await this.settle(
            t,
            partner,
            { group: fa.groupControl, transaction: tr.control },
            tr.accepted ? 'accepted' : 'rejected',
            detail,
          );
        }
        // Sets the acknowledgement does not list take the group's verdict (AK9 A/E accept, R rejects;
        // P means the unlisted ones were accepted).
        const groupAccepted = fa.status !== 'R';
        const detail = `${fa.kind} AK9 ${fa.status}${fa.groupCodes.length ? ` codes ${fa.groupCodes.join(',')}` : ''}`;
        const rows = await t.db
          .selectFrom('edi_outbound_acks')
          .select(['transaction_control'])
          .where('partner', '=', partner)
          .where('group_control', '=', trimZeros(fa.groupControl))
          .where('status', '=', 'pending')
          .execute();
        for (const r of rows) {
          if (listed.has(r.transaction_control)) continue;
          changed += await this.settle(
            t,
            partner,
            { group: fa.groupControl, transaction: r.transaction_control },
            groupAccepted ? 'accepted' : 'rejected',
            detail,
          );
        }
      }
      await this.clearSettled(t, partner);
      return changed;
    }, tx);
  }

  /** Applies a CONTRL; returns the documents whose status changed. */
  async reconcileEdifact(partner: string, report: ContrlReport, tx?: Tx): Promise<number> {
    return this.store.transaction(async (t) => {
      let changed = 0;
      const icRejected = report.action === '4';
      const messages = [
        ...report.messages,
        ...report.groups.flatMap((g) => g.messages.map((m) => ({ ...m, action: g.action === '4' ? '4' : m.action }))),
      ];
      for (const m of messages) {
        const rejected = icRejected || m.action === '4';
        const where = m.segmentErrors.map(
          (s) =>
            `segment ${s.position}${s.code ? ` (${s.code})` : ''}${s.elements.map((e) => `, element ${e.elementPosition ?? '?'}${e.componentPosition ? `:${e.componentPosition}` : ''}`).join('')}`,
        );
        const detail = `CONTRL UCM ${m.action}${m.error.code ? ` code ${m.error.code}` : ''}${where.length ? `: ${where.join('; ')}` : ''}`;
        changed += await this.settle(
          t,
          partner,
          { interchange: report.interchangeRef, transaction: m.messageRef },
          rejected ? 'rejected' : 'accepted',
          detail,
        );
      }
      if (report.action !== '8') {
        const detail = `CONTRL UCI ${report.action}${report.error.code ? ` code ${report.error.code}` : ''}`;
        changed += await this.settle(
          t,
          partner,
          { interchange: report.interchangeRef, onlyPending: true },
          icRejected ? 'rejected' : 'accepted',
          detail,
        );
      }
      await this.clearSettled(t, partner);
      return changed;
    }, tx);
  }

  /** Raises `edi.ack-overdue` (one per interchange) for pending documents past their due time. */
  async raiseOverdue(now = this.clock.now()): Promise<number> {
    const exceptions = this.options.exceptions;
    if (!exceptions) return 0;
    const rows = await this.store.db
      .selectFrom('edi_outbound_acks')
      .selectAll()
      .where('status', '=', 'pending')
      .where('overdue_raised', '=', 0)
      .where('due_at', '<=', now)
      .execute();
    const byInterchange = new Map<string, typeof rows>();
    for (const r of rows) {
      const key = `${r.partner}|${r.interchange_control}`;
      byInterchange.set(key, [...(byInterchange.get(key) ?? []), r]);
    }
    for (const list of byInterchange.values()) {
      const first = list[0];
      if (!first) continue;
      await this.store.transaction(async (t) => {
        await exceptions.raise(
          {
            category: ACK_OVERDUE,
            title: `No acknowledgement from ${first.partner} for interchange ${first.interchange_control}`,
            detail: {
              partner: first.partner,
              interchangeControl: first.interchange_control,
              documents: list.map((r) => ({
                type: r.document_type,
                group: r.group_control,
                transaction: r.transaction_control,
                documentId: r.document_id,
              })),
              dueAt: new Date(first.due_at ?? now).toISOString(),
            },
            severity: 'high',
            source: 'edi',
            subject: `edi/${first.partner}/interchange/${first.interchange_control}`,
            dedupeKey: overdueKey(first.partner, first.interchange_control),
            partner: first.partner,
          },
          t,
        );
        await t.db
          .updateTable('edi_outbound_acks')
          .set({ overdue_raised: 1 })
          .where('partner', '=', first.partner)
          .where('interchange_control', '=', first.interchange_control)
          .where('status', '=', 'pending')
          .execute();
      });
    }
    return byInterchange.size;
  }

  /** A late acknowledgement closes the overdue exception once nothing of its interchange is pending. */
  private async clearSettled(t: Tx, partner: string): Promise<void> {
    const exceptions = this.options.exceptions;
    if (!exceptions) return;
    const raised = await t.db
      .selectFrom('edi_outbound_acks')
      .select(['interchange_control'])
      .distinct()
      .where('partner', '=', partner)
      .where('overdue_raised', '=', 1)
      .execute();
    for (const r of raised) {
      const open = await t.db
        .selectFrom('edi_outbound_acks')
        .select(['transaction_control'])
        .where('partner', '=', partner)
        .where('interchange_control', '=', r.interchange_control)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (open) continue;
      await exceptions.clear(overdueKey(partner, r.interchange_control), 'acknowledgement received', t);
      await t.db
        .updateTable('edi_outbound_acks')
        .set({ overdue_raised: 2 })
        .where('partner', '=', partner)
        .where('interchange_control', '=', r.interchange_control)
        .execute();
    }
  }
}

export function overdueKey(partner: string, interchangeControl: string): string {
  return `${ACK_OVERDUE}:${partner}:${interchangeControl}`;
}
