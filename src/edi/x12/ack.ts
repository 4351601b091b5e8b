import { type ControlNumberAllocator, formatControlNumber } from './control-numbers.js';
import type { X12GroupResult, X12InterchangeResult, X12TransactionResult, X12ValidationResult } from './envelope.js';
import type { X12Issue } from './issues.js';
import type { X12Element } from './segment.js';
import type { X12SegmentLike } from './serialize.js';

export type FunctionalAckKind = '997' | '999';

function s(tag: string, ...values: Array<string | X12Element>): X12SegmentLike {
  const elements = values.map((v) => (typeof v === 'string' ? [[v]] : v));
  while (elements.length > 0) {
    const last = elements[elements.length - 1];
    if (last && last.length === 1 && last[0]?.length === 1 && last[0][0] === '') elements.pop();
    else break;
  }
  return { tag, elements };
}

function errors(issues: readonly X12Issue[]): X12Issue[] {
  return issues.filter((i) => i.severity === 'error');
}

function yymmdd(d: Date): string {
  return `${String(d.getUTCFullYear() % 100).padStart(2, '0')}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
}

function hhmm(d: Date): string {
  return `${String(d.getUTCHours()).padStart(2, '0')}${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

/** TA1 for a received interchange: R with the first interchange-level error's note code, else A 000. */
export function buildTa1(ix: X12InterchangeResult): X12SegmentLike {
  const first = errors(ix.issues).find((i) => i.level === 'interchange' && i.ackCode);
  return s('TA1', ix.control, ix.date, ix.time, first ? 'R' : 'A', first?.ackCode ?? '000');
}

/** Whether a transaction set is accepted: no error at transaction, segment or element level. */
export function transactionAccepted(tx: X12TransactionResult): boolean {
  return errors(tx.issues).length === 0;
}

/** AK5/IK5 codes for a transaction: its own envelope codes, plus 5 when segments are in error. */
function transactionCodes(tx: X12TransactionResult): string[] {
  const errs = errors(tx.issues);
  const codes = errs.filter((i) => i.level === 'transaction' && i.ackCode).map((i) => i.ackCode ?? '');
  if (errs.some((i) => i.level === 'segment' || i.level === 'element')) codes.push('5');
  return [...new Set(codes)].slice(0, 5);
}

/** One AK3/IK3 per segment in error, with its AK4/IK4s (at most 99, as the standard allows). */
function segmentNotes(tx: X12TransactionResult, kind: FunctionalAckKind): X12SegmentLike[] {
  const out: X12SegmentLike[] = [];
  const bySegment = new Map<string, X12Issue[]>();
  for (const issue of errors(tx.issues)) {
    if (issue.level !== 'segment' && issue.level !== 'element') continue;
    const key = `${issue.segmentPosition ?? 0}|${issue.segmentTag ?? ''}`;
    const list = bySegment.get(key) ?? [];
    list.push(issue);
    bySegment.set(key, list);
  }
  for (const list of bySegment.values()) {
    const first = list[0];
    if (!first) continue;
    const segmentIssues = list.filter((i) => i.level === 'segment');
    const elementIssues = list.filter((i) => i.level === 'element');
    const code =
      segmentIssues.find((i) => i.ackCode !== '8')?.ackCode ?? (elementIssues.length > 0 ? '8' : (segmentIssues[0]?.ackCode ?? '8'));
    const position = String(first.segmentPosition ?? '');
    out.push(s(kind === '997' ? 'AK3' : 'IK3', first.segmentTag ?? '', position, first.loopId ?? '', code));
    for (const e of elementIssues.slice(0, 99)) {
      const pos: string[] = [String(e.elementPosition ?? '')];
      if (e.componentPosition !== undefined) pos.push(String(e.componentPosition));
      if (kind === '999' && e.repetition !== undefined) {
        if (pos.length === 1) pos.push('');
        pos.push(String(e.repetition));
      }
      out.push(
        s(
          kind === '997' ? 'AK4' : 'IK4',
          [pos],
          e.dataElementRef ? String(e.dataElementRef) : '',
          e.ackCode ?? '',
          (e.value ?? '').slice(0, 99),
        ),
      );
    }
  }
  return out;
}

export interface FunctionalAckOptions {
  kind: FunctionalAckKind;
  /** ST02 of the acknowledgement. */
  control: string;
  /** Include AK2 loops for accepted transaction sets too (default true: lets the sender reconcile every set). */
  includeAccepted?: boolean;
}

/** A 997 (004010) or 999 (005010X231A1) for one received functional group, ST..SE. */
export function buildFunctionalAck(group: X12GroupResult, options: FunctionalAckOptions): X12SegmentLike[] {
  const { kind, control } = options;
  const body: X12SegmentLike[] = [];
  body.push(kind === '999' ? s('ST', '999', control, '005010X231A1') : s('ST', '997', control));
  body.push(
    kind === '999' || group.version.startsWith('005')
      ? s('AK1', group.functionalId, group.control, group.version)
      : s('AK1', group.functionalId, group.control),
  );
  let accepted = 0;
  for (const tx of group.transactions) {
    const ok = transactionAccepted(tx);
    if (ok) accepted++;
    if (ok && options.includeAccepted === false) continue;
    body.push(kind === '999' ? s('AK2', tx.id, tx.control, tx.implementation) : s('AK2', tx.id, tx.control));
    body.push(...segmentNotes(tx, kind));
    body.push(s(kind === '997' ? 'AK5' : 'IK5', ok ? 'A' : 'R', ...transactionCodes(tx)));
  }
  const groupCodes = [
    ...new Set(
      errors(group.issues)
        .map((i) => i.ackCode ?? '')
        .filter((c) => c !== ''),
    ),
  ].slice(0, 5);
  const received = group.transactions.length;
  const status = groupCodes.length > 0 || (received > 0 && accepted === 0) ? 'R' : accepted === received ? 'A' : 'P';
  body.push(s('AK9', status, String(received), String(received), String(accepted), ...groupCodes));
  body.push(s('SE', String(body.length + 1), control));
  return body;
}

export interface AckInterchangeOptions {
  kind: FunctionalAckKind;
  now: Date;
  interchangeControl: string;
  groupControl: string;
  /** One ST02 per received functional group. */
  transactionControls: readonly string[];
  /** Also send a TA1 (always sent when the interchange itself has errors and `ta1` is not false). */
  ta1?: boolean;
}

function pad(value: string, width: number): string {
  return value.padEnd(width, ' ').slice(0, width);
}

/**
 * A whole acknowledgement interchange back to the sender of `ix`: ISA (sender and receiver swapped), TA1 when
 * asked or when the interchange has errors, and one GS*FA group holding a 997/999 per received group.
 */
export function buildAckInterchange(ix: X12InterchangeResult, options: AckInterchangeOptions): X12SegmentLike[] {
  const version = options.kind === '999' ? '00501' : '00401';
  const out: X12SegmentLike[] = [
    s(
      'ISA',
      '00',
      pad('', 10),
      '00',
      pad('', 10),
      pad(ix.receiverQualifier || 'ZZ', 2),
      pad(ix.receiverId, 15),
      pad(ix.senderQualifier || 'ZZ', 2),
      pad(ix.senderId, 15),
      yymmdd(options.now),
      hhmm(options.now),
      options.kind === '999' ? '^' : 'U',
      version,
      options.interchangeControl.padStart(9, '0'),
      '0',
      ix.testIndicator || 'P',
      ':',
    ),
  ];
  const interchangeErrors = errors(ix.issues).some((i) => i.level === 'interchange');
  if (options.ta1 || (interchangeErrors && options.ta1 !== false)) out.push(buildTa1(ix));
  const groups = ix.groups.filter((g) => g.functionalId !== 'FA');
  if (groups.length > 0) {
    const d = options.now;
    const date = `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
    const gsVersion = options.kind === '999' ? '005010X231A1' : '004010';
    const first = groups[0];
    out.push(
      s('GS', 'FA', first?.receiver || ix.receiverId, first?.sender || ix.senderId, date, hhmm(d), options.groupControl, 'X', gsVersion),
    );
    groups.forEach((g, i) => {
      out.push(...buildFunctionalAck(g, { kind: options.kind, control: options.transactionControls[i] ?? String(i + 1).padStart(4, '0') }));
    });
    out.push(s('GE', String(groups.length), options.groupControl));
  }
  out.push(s('IEA', groups.length > 0 ? '1' : '0', options.interchangeControl.padStart(9, '0')));
  return out;
}

/**
 * Acknowledges every interchange of a validation result, taking control numbers from the allocator (keyed by
 * the partner: ISA05:ISA06 of the received interchange). Groups that are themselves 997/999 are not acknowledged.
 */
export async function acknowledge(
  result: X12ValidationResult,
  options: { kind: FunctionalAckKind; now: Date; allocator: ControlNumberAllocator; ta1?: boolean },
): Promise<X12SegmentLike[][]> {
  const out: X12SegmentLike[][] = [];
  for (const ix of result.interchanges) {
    if (ix.envelope !== 'isa') continue;
    const partner = `${ix.senderQualifier}:${ix.senderId}`;
    const interchangeControl = formatControlNumber(await options.allocator.next(partner, 'interchange'), 'interchange');
    const groups = ix.groups.filter((g) => g.functionalId !== 'FA');
    const groupControl = groups.length > 0 ? formatControlNumber(await options.allocator.next(partner, 'group'), 'group') : '';
    const transactionControls: string[] = [];
    for (const _ of groups)
      transactionControls.push(formatControlNumber(await options.allocator.next(partner, 'transaction'), 'transaction'));
    out.push(
      buildAckInterchange(ix, {
        kind: options.kind,
        now: options.now,
        interchangeControl,
        groupControl,
        transactionControls,
        ta1: options.ta1,
      }),
    );
  }
  return out;
}
