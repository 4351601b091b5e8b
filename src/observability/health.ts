import type { ExceptionQueue } from '../domains/exceptions/index.js';
import type { Store } from '../store/index.js';

/** A trading partner's state for operations: its API standing, open problems and EDI acknowledgements. */
export interface PartnerHealth {
  id: string;
  name: string | null;
  plan: string | null;
  status: string;
  openExceptions: number;
  overdueExceptions: number;
  slaBreaches24h: number;
  edi: { pendingAcks: number; overdueAcks: number; rejected24h: number; lastInterchangeAt: string | null };
  health: 'ok' | 'attention' | 'failing';
}

/** A connector instance's state: webhooks received and refused, polling cursors, open problems. */
export interface ConnectorHealth {
  connector: string;
  instance: string;
  credentials: boolean;
  cursors: Array<{ trigger: string; updatedAt: string }>;
  webhooks24h: { accepted: number; rejected: number; failed: number; duplicates: number; lastAt: string | null };
  openExceptions: number;
  health: 'ok' | 'attention' | 'failing';
}

const DAY = 86_400_000;

function iso(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(Number(ms)).toISOString();
}

function bump<K>(m: Map<K, number>, k: K, by = 1): void {
  m.set(k, (m.get(k) ?? 0) + by);
}

/** Partners from the gateway's registry and every partner named by exceptions, SLA clocks or EDI. */
export async function readPartnerHealth(store: Store, exceptions: ExceptionQueue, now: number): Promise<PartnerHealth[]> {
  const partners = await store.db.selectFrom('gw_partners').select(['id', 'name', 'plan', 'status']).execute();
  const open = await exceptions.openCountsBy('partner');
  const breaches = await store.db
    .selectFrom('obs_sla_clocks')
    .select('partner')
    .where('breached_at', '>=', now - DAY)
    .execute();
  const acks = await store.db.selectFrom('edi_outbound_acks').select(['partner', 'status', 'due_at', 'sent_at', 'acked_at']).execute();
  const seen = await store.db
    .selectFrom('edi_interchanges_seen')
    .select(['partner', (eb) => eb.fn.max('received_at').as('last')])
    .groupBy('partner')
    .execute();
  const ids = new Set<string>([
    ...partners.map((p) => p.id),
    ...open.filter((o) => o.key !== '(none)').map((o) => o.key),
    ...breaches.flatMap((b) => (b.partner ? [b.partner] : [])),
    ...acks.map((a) => a.partner),
    ...seen.map((s) => s.partner),
  ]);
  const breachCount = new Map<string, number>();
  for (const b of breaches) if (b.partner) bump(breachCount, b.partner);
  return [...ids].sort().map((id) => {
    const p = partners.find((x) => x.id === id);
    const o = open.find((x) => x.key === id);
    const mine = acks.filter((a) => a.partner === id);
    const pending = mine.filter((a) => a.status === 'pending');
    const overdueAcks = pending.filter((a) => a.due_at !== null && Number(a.due_at) < now).length;
    const rejected = mine.filter((a) => a.status === 'rejected' && Number(a.acked_at ?? a.sent_at) >= now - DAY).length;
    const last = seen.find((s) => s.partner === id)?.last;
    const overdueExceptions = o?.overdue ?? 0;
    const slaBreaches24h = breachCount.get(id) ?? 0;
    const status = p?.status ?? 'unregistered';
    const failing = status === 'suspended' || overdueAcks > 0 || overdueExceptions > 0;
    const attention = (o?.open ?? 0) > 0 || slaBreaches24h > 0 || rejected > 0;
    return {
      id,
      name: p?.name ?? null,
      plan: p?.plan ?? null,
      status,
      openExceptions: o?.open ?? 0,
      overdueExceptions,
      slaBreaches24h,
      edi: {
        pendingAcks: pending.length,
        overdueAcks,
        rejected24h: rejected,
        lastInterchangeAt: iso(last === undefined || last === null ? null : Number(last)),
      },
      health: failing ? 'failing' : attention ? 'attention' : 'ok',
    };
  });
}

/** Connector instances known from credentials, cursors and webhook receipts. */
export async function readConnectorHealth(store: Store, exceptions: ExceptionQueue, now: number): Promise<ConnectorHealth[]> {
  const creds = await store.db.selectFrom('connector_credentials').select(['connector', 'instance']).execute();
  const cursors = await store.db.selectFrom('connector_cursors').select(['connector', 'instance', 'trigger', 'updated_at']).execute();
  const receipts = await store.db
    .selectFrom('webhook_receipts')
    .select(['connector', 'instance', 'status', 'duplicates', 'received_at'])
    .where('received_at', '>=', now - DAY)
    .execute();
  const openExceptions = await exceptions.list({ status: 'open', limit: 5000 });
  const key = (c: string, i: string) => `${c}\u0000${i}`;
  const all = new Map<string, { connector: string; instance: string }>();
  for (const r of [...creds, ...cursors, ...receipts])
    all.set(key(r.connector, r.instance), { connector: r.connector, instance: r.instance });
  return [...all.values()]
    .sort((a, b) => a.connector.localeCompare(b.connector) || a.instance.localeCompare(b.instance))
    .map(({ connector, instance }) => {
      const mine = receipts.filter((r) => r.connector === connector && r.instance === instance);
      const count = (s: string) => mine.filter((r) => r.status === s).length;
      const lastAt = mine.reduce<number | null>((a, r) => (a === null || Number(r.received_at) > a ? Number(r.received_at) : a), null);
      const exceptionsOpen = openExceptions.filter(
        (e) => e.source === `connector/${connector}` || e.source.startsWith(`connector/${connector}/`) || e.source === connector,
      ).length;
      const failed = count('failed');
      const rejected = count('rejected');
      return {
        connector,
        instance,
        credentials: creds.some((c) => c.connector === connector && c.instance === instance),
        cursors: cursors
          .filter((c) => c.connector === connector && c.instance === instance)
          .map((c) => ({ trigger: c.trigger, updatedAt: iso(c.updated_at) ?? '' })),
        webhooks24h: {
          accepted: count('accepted'),
          rejected,
          failed,
          duplicates: mine.reduce((a, r) => a + Number(r.duplicates), 0),
          lastAt: iso(lastAt),
        },
        openExceptions: exceptionsOpen,
        health: failed > 0 ? 'failing' : rejected > 0 || exceptionsOpen > 0 ? 'attention' : 'ok',
      };
    });
}

/** An EDI interchange for the console: outbound documents with their acknowledgement, inbound ones received. */
export interface EdiInterchangeView {
  direction: 'outbound' | 'inbound';
  partner: string;
  standard: string | null;
  interchangeControl: string;
  groupControl: string | null;
  transactionControl: string | null;
  documentType: string | null;
  documentId: string | null;
  at: string;
  ack: {
    status: 'pending' | 'accepted' | 'rejected' | 'none';
    dueAt: string | null;
    ackedAt: string | null;
    overdue: boolean;
    detail: string | null;
  };
}

/** Interchanges newest first; outbound ones carry their 997/999/CONTRL status. */
export async function readEdiInterchanges(
  store: Store,
  filter: {
    partner?: string;
    direction?: 'outbound' | 'inbound';
    status?: 'pending' | 'accepted' | 'rejected';
    control?: string;
    limit?: number;
  },
  now: number,
): Promise<EdiInterchangeView[]> {
  const limit = Math.min(filter.limit ?? 100, 1000);
  const out: EdiInterchangeView[] = [];
  if (filter.direction !== 'inbound') {
    let q = store.db.selectFrom('edi_outbound_acks').selectAll().orderBy('sent_at', 'desc').limit(limit);
    if (filter.partner) q = q.where('partner', '=', filter.partner);
    if (filter.status) q = q.where('status', '=', filter.status);
    if (filter.control) q = q.where('interchange_control', '=', filter.control);
    for (const r of await q.execute()) {
      const status = r.status === 'accepted' || r.status === 'rejected' ? r.status : 'pending';
      out.push({
        direction: 'outbound',
        partner: r.partner,
        standard: r.standard,
        interchangeControl: r.interchange_control,
        groupControl: r.group_control,
        transactionControl: r.transaction_control,
        documentType: r.document_type,
        documentId: r.document_id,
        at: iso(r.sent_at) ?? '',
        ack: {
          status,
          dueAt: iso(r.due_at),
          ackedAt: iso(r.acked_at),
          overdue: status === 'pending' && r.due_at !== null && Number(r.due_at) < now,
          detail: r.detail,
        },
      });
    }
  }
  if (filter.direction !== 'outbound' && filter.status === undefined) {
    let q = store.db.selectFrom('edi_interchanges_seen').selectAll().orderBy('received_at', 'desc').limit(limit);
    if (filter.partner) q = q.where('partner', '=', filter.partner);
    if (filter.control) q = q.where('key', '=', filter.control);
    for (const r of await q.execute()) {
      out.push({
        direction: 'inbound',
        partner: r.partner,
        standard: null,
        interchangeControl: r.key,
        groupControl: null,
        transactionControl: null,
        documentType: null,
        documentId: r.source,
        at: iso(r.received_at) ?? '',
        ack: { status: 'none', dueAt: null, ackedAt: null, overdue: false, detail: null },
      });
    }
  }
  return out.sort((a, b) => b.at.localeCompare(a.at)).slice(0, limit);
}
