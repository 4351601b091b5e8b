import type { X12Document, X12TransactionSet } from './document.js';
import { X12Errors, x12Error } from './errors.js';
import { elementValue, type X12Segment } from './segment.js';

export interface AckElementNote {
  /** AK401-1 / IK401-1. */
  readonly position: number;
  readonly component?: number;
  readonly repetition?: number;
  readonly dataElementRef?: number;
  /** AK403 / IK403 code. */
  readonly code: string;
  readonly value?: string;
}

export interface AckSegmentNote {
  readonly tag: string;
  readonly position: number;
  readonly loopId?: string;
  /** AK304 / IK304 code ('' when absent). */
  readonly code: string;
  readonly elements: AckElementNote[];
}

export interface AckTransactionResponse {
  /** AK201 and AK202: the transaction set being acknowledged. */
  readonly transactionSetId: string;
  readonly control: string;
  /** AK501 / IK501: A, E, M, R, W or X. */
  readonly status: string;
  readonly accepted: boolean;
  readonly codes: string[];
  readonly segments: AckSegmentNote[];
}

export interface FunctionalAckResult {
  readonly kind: '997' | '999';
  /** ST02 of the acknowledgement itself. */
  readonly ackControl: string;
  /** AK101/AK102: the group being acknowledged. */
  readonly functionalId: string;
  readonly groupControl: string;
  readonly version?: string;
  /** AK901: A, E, P, R, … */
  readonly status: string;
  readonly included: number;
  readonly received: number;
  readonly accepted: number;
  readonly groupCodes: string[];
  readonly transactions: AckTransactionResponse[];
}

export interface Ta1Result {
  readonly control: string;
  readonly date: string;
  readonly time: string;
  /** TA104: A, E or R. */
  readonly status: string;
  readonly note: string;
}

function int(value: string): number | undefined {
  return /^\d+$/.test(value) ? Number(value) : undefined;
}

function codes(seg: X12Segment, from: number, to: number): string[] {
  const out: string[] = [];
  for (let i = from; i <= to; i++) {
    const v = elementValue(seg, i);
    if (v !== '') out.push(v);
  }
  return out;
}

/** Reads a received 997 or 999 so the hub can reconcile it with the groups and sets it sent. */
export function parseFunctionalAck(tx: X12TransactionSet): FunctionalAckResult {
  const kind = tx.id === '997' ? '997' : tx.id === '999' ? '999' : null;
  const fail = (what: string, seg?: X12Segment): Error =>
    x12Error(X12Errors.ack, what, {
      transactionControl: tx.control,
      transactionSetId: tx.id,
      segmentTag: seg?.tag,
      segmentPosition: seg?.position.segment || undefined,
      line: seg?.position.line,
    });
  if (!kind) throw fail(`transaction set ${tx.id} is not a 997 or 999`);
  const ak1 = tx.segments.find((x) => x.tag === 'AK1');
  const ak9 = tx.segments.find((x) => x.tag === 'AK9');
  if (!ak1) throw fail('AK1 is missing');
  if (!ak9) throw fail('AK9 is missing');
  const transactions: AckTransactionResponse[] = [];
  let current: { id: string; control: string; segments: AckSegmentNote[] } | null = null;
  let segment: AckSegmentNote | null = null;
  for (const seg of tx.segments) {
    switch (seg.tag) {
      case 'AK2':
        current = { id: elementValue(seg, 1), control: elementValue(seg, 2), segments: [] };
        segment = null;
        break;
      case 'AK3':
      case 'IK3': {
        if (!current) throw fail(`${seg.tag} outside an AK2 loop`, seg);
        const position = int(elementValue(seg, 2));
        if (position === undefined) throw fail(`${seg.tag}02 ${JSON.stringify(elementValue(seg, 2))} is not a segment position`, seg);
        segment = {
          tag: elementValue(seg, 1),
          position,
          loopId: elementValue(seg, 3) || undefined,
          code: elementValue(seg, 4),
          elements: [],
        };
        current.segments.push(segment);
        break;
      }
      case 'AK4':
      case 'IK4': {
        if (!segment) throw fail(`${seg.tag} without a preceding ${kind === '997' ? 'AK3' : 'IK3'}`, seg);
        const position = int(elementValue(seg, 1, 1));
        if (position === undefined) throw fail(`${seg.tag}01 ${JSON.stringify(elementValue(seg, 1))} is not an element position`, seg);
        segment.elements.push({
          position,
          component: int(elementValue(seg, 1, 2)),
          repetition: int(elementValue(seg, 1, 3)),
          dataElementRef: int(elementValue(seg, 2)),
          code: elementValue(seg, 3),
          value: elementValue(seg, 4) || undefined,
        });
        break;
      }
      case 'AK5':
      case 'IK5': {
        if (!current) throw fail(`${seg.tag} outside an AK2 loop`, seg);
        const status = elementValue(seg, 1);
        transactions.push({
          transactionSetId: current.id,
          control: current.control,
          status,
          accepted: status === 'A' || status === 'E',
          codes: codes(seg, 2, 6),
          segments: current.segments,
        });
        current = null;
        segment = null;
        break;
      }
      default:
        break;
    }
  }
  if (current) throw fail(`AK2 loop for ${current.id} ${current.control} has no ${kind === '997' ? 'AK5' : 'IK5'}`);
  return {
    kind,
    ackControl: tx.control,
    functionalId: elementValue(ak1, 1),
    groupControl: elementValue(ak1, 2),
    version: elementValue(ak1, 3) || undefined,
    status: elementValue(ak9, 1),
    included: int(elementValue(ak9, 2)) ?? 0,
    received: int(elementValue(ak9, 3)) ?? 0,
    accepted: int(elementValue(ak9, 4)) ?? 0,
    groupCodes: codes(ak9, 5, 9),
    transactions,
  };
}

export function parseTa1(seg: X12Segment): Ta1Result {
  if (seg.tag !== 'TA1') throw x12Error(X12Errors.ack, `expected TA1, found ${seg.tag}`, { segmentTag: seg.tag, line: seg.position.line });
  return {
    control: elementValue(seg, 1),
    date: elementValue(seg, 2),
    time: elementValue(seg, 3),
    status: elementValue(seg, 4),
    note: elementValue(seg, 5),
  };
}

/** Every TA1, 997 and 999 in a parsed document. */
export function readAcknowledgements(doc: X12Document): { ta1: Ta1Result[]; functional: FunctionalAckResult[] } {
  const ta1: Ta1Result[] = [];
  const functional: FunctionalAckResult[] = [];
  for (const ix of doc.interchanges) {
    for (const seg of ix.services) if (seg.tag === 'TA1') ta1.push(parseTa1(seg));
    for (const g of ix.groups)
      for (const tx of g.transactions) if (tx.id === '997' || tx.id === '999') functional.push(parseFunctionalAck(tx));
  }
  return { ta1, functional };
}
