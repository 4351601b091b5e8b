import { type Clock, systemClock } from '../../kernel/index.js';
import type { Store, Tx } from '../../store/index.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { DocumentErrors } from './errors.js';
import type { DocumentKind, DocumentTypes } from './kinds.js';

/** A document as stored: its owner, version (the ETag derives from it) and times. */
export interface StoredDocument<K extends DocumentKind = DocumentKind> {
  partnerId: string;
  kind: K;
  id: string;
  number: string | null;
  status: string | null;
  version: number;
  data: DocumentTypes[K];
  createdAt: number;
  updatedAt: number;
}

/** One entry of a document's status history. */
export interface StatusEntry {
  version: number;
  status: string;
  source: string;
  note: string | null;
  at: number;
}

export interface ListQuery {
  /** 1 to 200; 50 by default. */
  limit?: number;
  /** From a previous page's `nextCursor`. */
  cursor?: string;
  /** Only documents changed at or after this instant (epoch ms). */
  updatedSince?: number;
  status?: string;
}

export interface Page<K extends DocumentKind> {
  items: StoredDocument<K>[];
  /** Present when more documents follow. */
  nextCursor?: string;
}

export interface NewDocument<K extends DocumentKind> {
  partnerId: string;
  kind: K;
  id: string;
  number?: string | undefined;
  status?: string | undefined;
  data: DocumentTypes[K];
  /** Who made the change, for the status history: `partner:acme`, `flow:order-to-cash`. */
  source: string;
  note?: string;
}

/** The strong ETag of a document version. */
export function etagOf(document: { version: number }): string {
  return `"v${document.version}"`;
}

interface Row {
  partner_id: string;
  kind: string;
  id: string;
  number: string | null;
  status: string | null;
  version: number | string;
  data: string;
  created_at: number | string;
  updated_at: number | string;
}

const INSERT_DOC =
  'INSERT INTO doc_documents (partner_id, kind, id, number, status, version, data, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?) ON CONFLICT DO NOTHING';
const INSERT_STATUS = 'INSERT INTO doc_status (partner_id, kind, id, version, status, source, note, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)';
const UPDATE_DOC =
  'UPDATE doc_documents SET status = ?, version = version + 1, data = ?, updated_at = ? WHERE partner_id = ? AND kind = ? AND id = ? AND version = ?';
const SELECT_DOC = 'SELECT * FROM doc_documents WHERE partner_id = ? AND kind = ? AND id = ?';

/**
 * Partner-owned business documents. Every read and write names the partner, so one partner's
 * documents are invisible to another (a foreign id answers exactly like a missing one). Writes take
 * the caller's transaction, so a document, its status history and its outbox event commit together.
 */
export class DocumentStore {
  private readonly clock: Clock;
  constructor(
    private readonly store: Store,
    options: { clock?: Clock } = {},
  ) {
    this.clock = options.clock ?? systemClock;
  }

  async get<K extends DocumentKind>(partnerId: string, kind: K, id: string, tx?: Tx): Promise<StoredDocument<K> | undefined> {
    const row = tx
      ? (await tx.all<Row>(SELECT_DOC, [partnerId, kind, id]))[0]
      : await this.store.db
          .selectFrom('doc_documents')
          .selectAll()
          .where('partner_id', '=', partnerId)
          .where('kind', '=', kind)
          .where('id', '=', id)
          .executeTakeFirst();
    return row ? toDocument(row, kind) : undefined;
  }

  /** Like `get`, but a missing document throws CD_ERR_DOCUMENT_NOT_FOUND. */
  async require<K extends DocumentKind>(partnerId: string, kind: K, id: string, tx?: Tx): Promise<StoredDocument<K>> {
    const doc = await this.get(partnerId, kind, id, tx);
    if (!doc) throw DocumentErrors.notFound(`no ${kind} ${id}`, { path: 'id' });
    return doc;
  }

  /** A document by id whatever its owner, for event consumers inside the hub (never for partner requests). */
  async findById<K extends DocumentKind>(kind: K, id: string, tx: Tx): Promise<StoredDocument<K> | undefined> {
    const rows = await tx.all<Row>('SELECT * FROM doc_documents WHERE kind = ? AND id = ?', [kind, id]);
    const row = rows[0];
    return row ? toDocument(row, kind) : undefined;
  }

  /** Pages in (updated_at, id) order, so a client can sync with `updated_since` and follow the cursor. */
  async list<K extends DocumentKind>(partnerId: string, kind: K, query: ListQuery = {}): Promise<Page<K>> {
    const limit = Math.min(200, Math.max(1, query.limit ?? 50));
    let q = this.store.db.selectFrom('doc_documents').selectAll().where('partner_id', '=', partnerId).where('kind', '=', kind);
    if (query.updatedSince !== undefined) q = q.where('updated_at', '>=', query.updatedSince);
    if (query.status !== undefined) q = q.where('status', '=', query.status);
    if (query.cursor !== undefined) {
      const after = decodeCursor(query.cursor);
      q = q.where((eb) =>
        eb.or([eb('updated_at', '>', after.updatedAt), eb.and([eb('updated_at', '=', after.updatedAt), eb('id', '>', after.id)])]),
      );
    }
    const rows = await q
      .orderBy('updated_at')
      .orderBy('id')
      .limit(limit + 1)
      .execute();
    const items = rows.slice(0, limit).map((r) => toDocument(r, kind));
    const last = items[items.length - 1];
    return rows.length > limit && last ? { items, nextCursor: encodeCursor({ updatedAt: last.updatedAt, id: last.id }) } : { items };
  }

  /** Inserts version 1. A number the partner already used for this kind throws CD_ERR_DOCUMENT_CONFLICT (409). */
  async insert<K extends DocumentKind>(tx: Tx, doc: NewDocument<K>): Promise<StoredDocument<K>> {
    const now = this.clock.now();
    const number = doc.number ?? null;
    const changed = await tx.run(INSERT_DOC, [
      doc.partnerId,
      doc.kind,
      doc.id,
      number,
      doc.status ?? null,
      JSON.stringify(doc.data),
      now,
      now,
    ]);
    if (changed === 0) {
      // Either the id or the partner's number is taken; name the document that holds the number.
      const taken =
        number === null
          ? []
          : await tx.all<{ id: string }>('SELECT id FROM doc_documents WHERE partner_id = ? AND kind = ? AND number = ?', [
              doc.partnerId,
              doc.kind,
              number,
            ]);
      const existing = taken[0]?.id;
      throw existing !== undefined
        ? DocumentErrors.duplicateNumber(`${doc.kind} number ${number} already names ${existing}`, { path: 'number', existing })
        : DocumentErrors.duplicateNumber(`${doc.kind} ${doc.id} already exists`, { path: 'id' });
    }
    if (doc.status !== undefined) {
      await tx.run(INSERT_STATUS, [doc.partnerId, doc.kind, doc.id, 1, doc.status, doc.source, doc.note ?? null, now]);
    }
    return {
      partnerId: doc.partnerId,
      kind: doc.kind,
      id: doc.id,
      number,
      status: doc.status ?? null,
      version: 1,
      data: doc.data,
      createdAt: now,
      updatedAt: now,
    };
  }

  /**
   * Writes a new version of `current`. Fails with CD_ERR_PRECONDITION_FAILED (412) when someone else
   * changed the document since `current` was read (optimistic concurrency; the If-Match check).
   */
  async update<K extends DocumentKind>(
    tx: Tx,
    current: StoredDocument<K>,
    change: { data: DocumentTypes[K]; status?: string | undefined; source: string; note?: string },
  ): Promise<StoredDocument<K>> {
    const now = Math.max(this.clock.now(), current.updatedAt);
    const status = change.status ?? current.status;
    const changed = await tx.run(UPDATE_DOC, [
      status,
      JSON.stringify(change.data),
      now,
      current.partnerId,
      current.kind,
      current.id,
      current.version,
    ]);
    if (changed === 0) throw DocumentErrors.changed(`${current.kind} ${current.id} changed meanwhile; read it again`, { path: 'If-Match' });
    const version = current.version + 1;
    if (change.status !== undefined && change.status !== current.status) {
      await tx.run(INSERT_STATUS, [
        current.partnerId,
        current.kind,
        current.id,
        version,
        change.status,
        change.source,
        change.note ?? null,
        now,
      ]);
    }
    return { ...current, status, version, data: change.data, updatedAt: now };
  }

  /**
   * Inserts or replaces a document a hub module produced (a shipment from the WMS, an invoice from
   * the ERP, an item from masterdata), for the partner it concerns.
   */
  async put<K extends DocumentKind>(tx: Tx, doc: NewDocument<K>): Promise<StoredDocument<K>> {
    const current = await this.get(doc.partnerId, doc.kind, doc.id, tx);
    if (!current) return this.insert(tx, doc);
    return this.update(tx, current, {
      data: doc.data,
      status: doc.status,
      source: doc.source,
      ...(doc.note !== undefined ? { note: doc.note } : {}),
    });
  }

  /** The statuses a document passed through, oldest first. */
  async history(partnerId: string, kind: DocumentKind, id: string): Promise<StatusEntry[]> {
    const rows = await this.store.db
      .selectFrom('doc_status')
      .select(['version', 'status', 'source', 'note', 'at'])
      .where('partner_id', '=', partnerId)
      .where('kind', '=', kind)
      .where('id', '=', id)
      .orderBy('version')
      .execute();
    return rows.map((r) => ({ version: Number(r.version), status: r.status, source: r.source, note: r.note, at: Number(r.at) }));
  }
}

function toDocument<K extends DocumentKind>(row: Row, kind: K): StoredDocument<K> {
  // The row was written from a value of this kind's type by this class; JSON keeps it as it was.
  const data: DocumentTypes[K] = JSON.parse(row.data);
  return {
    partnerId: row.partner_id,
    kind,
    id: row.id,
    number: row.number,
    status: row.status,
    version: Number(row.version),
    data,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}
