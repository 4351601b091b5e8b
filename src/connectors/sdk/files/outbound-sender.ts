import { createHash } from 'node:crypto';
import { type Clock, type Logger, systemClock } from '../../../kernel/index.js';
import type { Store } from '../../../store/index.js';
import { ConnectorErrors } from '../errors.js';
import { type FileSendTable, filesDb } from './tables.js';
import { baseName, dirName, type FileTransport, joinPath } from './transport.js';

export interface OutboundDocument {
  /** The crossdock id of the document (an invoice id, an interchange control number): sent once. */
  documentId: string;
  /** Where the partner expects it, absolute. */
  path: string;
  content: Buffer | string;
}

export interface SendResult {
  outcome: 'sent' | 'already-sent';
  path: string;
  sha256: string;
  size: number;
}

export interface OutboundFileSenderOptions {
  store: Store;
  transport: FileTransport;
  clock?: Clock;
  logger?: Logger;
}

export type FileSend = FileSendTable;

/**
 * Uploads documents to a partner so that each document id lands at most once, even across crashes:
 * 1. the send is recorded `pending` before anything is written;
 * 2. the bytes go to a hidden staging name (`.<name>.<hash>.part`, itself written atomically);
 * 3. the send is marked `renaming`, then the staging file is renamed to the final name;
 * 4. the send is marked `sent`.
 * A rename is atomic, so a send found `renaming` after a crash is finished by looking at the staging
 * file: still there means the rename did not happen (rename it now); gone means it did (the partner
 * may already have taken the final file, so nothing is uploaded again).
 */
export class OutboundFileSender {
  private readonly clock: Clock;
  constructor(private readonly options: OutboundFileSenderOptions) {
    this.clock = options.clock ?? systemClock;
  }

  async send(doc: OutboundDocument): Promise<SendResult> {
    const { transport } = this.options;
    const body = typeof doc.content === 'string' ? Buffer.from(doc.content) : doc.content;
    const sha256 = createHash('sha256').update(body).digest('hex');
    let row = await this.get(doc.documentId);
    if (row?.status === 'sent') return { outcome: 'already-sent', path: row.path, sha256: row.sha256, size: row.size };
    if (row && row.path !== doc.path) {
      throw ConnectorErrors.conflict(`document ${doc.documentId} was already being sent to ${row.path}, not ${doc.path}`, {
        documentId: doc.documentId,
      });
    }
    const staging = this.stagingPath(doc);
    if (row?.status === 'renaming') {
      await this.finishRename(row, staging);
      return { outcome: 'sent', path: row.path, sha256: row.sha256, size: row.size };
    }
    row = await this.markPending(doc, sha256, body.length);
    await transport.write(staging, body);
    await this.setStatus(doc.documentId, 'renaming');
    await this.finishRename(row, staging);
    return { outcome: 'sent', path: doc.path, sha256, size: body.length };
  }

  /** Records the partner's acknowledgement (997/999, CONTRL, AS2 MDN, a response file). */
  async acknowledge(documentId: string, status: 'accepted' | 'rejected', detail?: string): Promise<void> {
    const updated = await filesDb(this.options.store.db)
      .updateTable('file_sends')
      .set({ ack_status: status, ack_detail: detail ?? null, ack_at: this.clock.now() })
      .where('transport', '=', this.options.transport.id)
      .where('document_id', '=', documentId)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) {
      throw ConnectorErrors.notFound(`no document ${documentId} was sent through ${this.options.transport.id}`, { documentId });
    }
  }

  async get(documentId: string): Promise<FileSend | undefined> {
    return filesDb(this.options.store.db)
      .selectFrom('file_sends')
      .selectAll()
      .where('transport', '=', this.options.transport.id)
      .where('document_id', '=', documentId)
      .executeTakeFirst();
  }

  /** Sent documents still without an acknowledgement, sent before `sentBefore` (for SLA alerts). */
  async awaitingAck(sentBefore: number): Promise<FileSend[]> {
    return filesDb(this.options.store.db)
      .selectFrom('file_sends')
      .selectAll()
      .where('transport', '=', this.options.transport.id)
      .where('status', '=', 'sent')
      .where('ack_status', 'is', null)
      .where('sent_at', '<', sentBefore)
      .orderBy('sent_at')
      .execute();
  }

  private stagingPath(doc: OutboundDocument): string {
    const tag = createHash('sha256').update(doc.documentId).digest('hex').slice(0, 12);
    return joinPath(dirName(doc.path), `.${baseName(doc.path)}.${tag}.part`);
  }

  private async finishRename(row: FileSend, staging: string): Promise<void> {
    try {
      await this.options.transport.rename(staging, row.path);
    } catch (err) {
      // Staging gone: the rename happened before a crash or a lost reply.
      if (!ConnectorErrors.notFound.is(err)) throw err;
      this.options.logger?.info({ documentId: row.document_id, path: row.path }, 'staging file already renamed; marking the send done');
    }
    await this.setStatus(row.document_id, 'sent');
  }

  private async markPending(doc: OutboundDocument, sha256: string, size: number): Promise<FileSend> {
    const now = this.clock.now();
    const row: FileSend = {
      transport: this.options.transport.id,
      document_id: doc.documentId,
      path: doc.path,
      size,
      sha256,
      status: 'pending',
      attempts: 1,
      created_at: now,
      sent_at: null,
      ack_status: null,
      ack_detail: null,
      ack_at: null,
    };
    await filesDb(this.options.store.db)
      .insertInto('file_sends')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['transport', 'document_id']).doUpdateSet((eb) => ({ attempts: eb('file_sends.attempts', '+', 1), size, sha256 })),
      )
      .execute();
    return row;
  }

  private async setStatus(documentId: string, status: 'renaming' | 'sent'): Promise<void> {
    await filesDb(this.options.store.db)
      .updateTable('file_sends')
      .set(status === 'sent' ? { status, sent_at: this.clock.now() } : { status })
      .where('transport', '=', this.options.transport.id)
      .where('document_id', '=', documentId)
      .execute();
  }
}
