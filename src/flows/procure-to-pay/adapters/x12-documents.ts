import { x12 } from '../../../edi/index.js';
import type { PurchaseOrder, SupplierAck, SupplierAsn, SupplierInvoice } from '../documents.js';
import { P2pErrors } from '../errors.js';
import { dec, format } from '../money.js';

/** ISA/GS ids and the control number of one interchange. */
export interface Envelope {
  sender: string;
  receiver: string;
  control: number;
  at: string;
}

const pad = (value: string, width: number) => value.padEnd(width, ' ').slice(0, width);

/** One X12 4010 interchange holding one transaction set. */
function interchange(set: string, group: string, body: string[][], env: Envelope): string {
  const date = env.at.slice(0, 10).replaceAll('-', '');
  const time = env.at.slice(11, 16).replace(':', '');
  const control = String(env.control).padStart(9, '0');
  const st = String(env.control % 10_000).padStart(4, '0');
  const segs: string[][] = [
    [
      'ISA',
      '00',
      pad('', 10),
      '00',
      pad('', 10),
      'ZZ',
      pad(env.sender, 15),
      'ZZ',
      pad(env.receiver, 15),
      date.slice(2),
      time,
      'U',
      '00401',
      control,
      '0',
      'P',
      '>',
    ],
    ['GS', group, env.sender, env.receiver, date, time, String(env.control), 'X', '004010'],
    ['ST', set, st],
    ...body,
    ['SE', String(body.length + 2), st],
    ['GE', '1', String(env.control)],
    ['IEA', '1', control],
  ];
  return `${segs.map((s) => s.join('*')).join('~\n')}~\n`;
}

/** The purchase order as an X12 850; `purpose` "00" original, "01" cancellation. */
export function build850(po: PurchaseOrder, env: Envelope, purpose: '00' | '01' = '00'): string {
  const body: string[][] = [
    ['BEG', purpose, 'SA', po.poNumber, '', env.at.slice(0, 10).replaceAll('-', '')],
    ['CUR', 'BY', po.currency],
    ['N1', 'ST', po.location, '92', po.location],
    ...po.lines.map((l) => ['PO1', l.line, l.quantity, l.uom, l.unitPrice, '', 'VP', l.item]),
    ['CTT', String(po.lines.length)],
  ];
  return interchange('850', 'PO', body, env);
}

type Seg = x12.X12Segment;
const v = (s: Seg, pos: number) => x12.elementValue(s, pos);
const iso = (yyyymmdd: string) =>
  yyyymmdd.length === 8 ? `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}` : undefined;

export type InboundDocument =
  | { type: 'ack'; control: string; sender: string; body: SupplierAck }
  | { type: 'asn'; control: string; sender: string; body: SupplierAsn }
  | { type: 'invoice'; control: string; sender: string; body: SupplierInvoice };

const ACK_STATUS: Record<string, 'accepted' | 'changed' | 'rejected'> = {
  IA: 'accepted',
  IC: 'changed',
  IQ: 'changed',
  IP: 'changed',
  IR: 'rejected',
  ID: 'rejected',
};

/** Reads 855, 856 and 810 transaction sets of an interchange from a supplier (parsed by the hub's X12 codec). */
export function readSupplierX12(text: string): InboundDocument[] {
  const doc = x12.parseX12(text);
  const out: InboundDocument[] = [];
  for (const ix of doc.interchanges) {
    const sender = ix.header ? v(ix.header, 6).trim() : '';
    const control = ix.header ? v(ix.header, 13) : '';
    for (const group of ix.groups) {
      for (const tx of group.transactions) {
        const key = `${sender}:${control}:${tx.control}`;
        if (tx.id === '855') out.push({ type: 'ack', control: key, sender, body: read855(tx.segments) });
        else if (tx.id === '856') out.push({ type: 'asn', control: key, sender, body: read856(tx.segments) });
        else if (tx.id === '810') out.push({ type: 'invoice', control: key, sender, body: read810(tx.segments) });
      }
    }
  }
  return out;
}

function read855(segs: readonly Seg[]): SupplierAck {
  const bak = segs.find((s) => s.tag === 'BAK');
  if (!bak) throw P2pErrors.badDocument('855 without BAK');
  const lines: SupplierAck['lines'] = [];
  segs.forEach((s, i) => {
    if (s.tag !== 'PO1') return;
    const ack = segs.slice(i + 1).find((n) => n.tag === 'ACK' || n.tag === 'PO1');
    const status = ack?.tag === 'ACK' ? (ACK_STATUS[v(ack, 1)] ?? 'accepted') : 'accepted';
    const shipDate = ack?.tag === 'ACK' ? iso(v(ack, 5)) : undefined;
    lines.push({
      line: v(s, 1),
      item: v(s, 7),
      status,
      quantity: ack?.tag === 'ACK' && v(ack, 2) !== '' ? v(ack, 2) : v(s, 2),
      unitPrice: v(s, 4),
      ...(shipDate ? { shipDate } : {}),
    });
  });
  return { poNumber: v(bak, 3), lines };
}

function read856(segs: readonly Seg[]): SupplierAsn {
  const bsn = segs.find((s) => s.tag === 'BSN');
  const prf = segs.find((s) => s.tag === 'PRF');
  if (!bsn || !prf) throw P2pErrors.badDocument('856 without BSN or PRF');
  const eta = segs.find((s) => s.tag === 'DTM' && v(s, 1) === '017');
  const lines: SupplierAsn['lines'] = [];
  segs.forEach((s, i) => {
    if (s.tag !== 'LIN') return;
    const sn1 = segs[i + 1];
    if (sn1?.tag === 'SN1') lines.push({ item: v(s, 3), quantity: v(sn1, 2) });
  });
  const etaIso = eta ? iso(v(eta, 2)) : undefined;
  return { poNumber: v(prf, 1), asnNumber: v(bsn, 2), ...(etaIso ? { eta: etaIso } : {}), lines };
}

function read810(segs: readonly Seg[]): SupplierInvoice {
  const big = segs.find((s) => s.tag === 'BIG');
  const tds = segs.find((s) => s.tag === 'TDS');
  if (!big || !tds) throw P2pErrors.badDocument('810 without BIG or TDS');
  // TDS01 is N2: two implied decimals.
  const total = format({ units: dec(v(tds, 1)).units, scale: 2 }, 2);
  return {
    poNumber: v(big, 4),
    invoiceNumber: v(big, 2),
    total,
    lines: segs.filter((s) => s.tag === 'IT1').map((s) => ({ item: v(s, 7), quantity: v(s, 2), unitPrice: v(s, 4) })),
  };
}
