import { formatControlNumber, serializeX12, type X12Delimiters, type X12SegmentLike } from '../../x12/index.js';
import type { MapSegment } from '../engine/segment-view.js';
import { toX12 } from './adapter.js';

export interface X12EnvelopeSettings {
  readonly sender: { readonly qualifier: string; readonly id: string };
  readonly receiver: { readonly qualifier: string; readonly id: string };
  /** GS02 / GS03 (default: the ISA ids). */
  readonly groupSender?: string;
  readonly groupReceiver?: string;
  /** GS08, e.g. `004010` or `005010`; ISA12 follows it (00401 / 00501). */
  readonly version: string;
  readonly delimiters: X12Delimiters;
  /** ISA15. */
  readonly usage: 'P' | 'T';
  /** ISA14: ask for a TA1. */
  readonly requestTa1?: boolean;
  readonly lineEnding?: '' | '\n' | '\r\n';
}

export interface X12Controls {
  readonly interchange: number;
  readonly group: number;
  /** One per transaction set. */
  readonly transactions: readonly number[];
}

const pad = (v: string, n: number) => v.padEnd(n, ' ').slice(0, n);
const s = (tag: string, ...values: string[]): X12SegmentLike => ({ tag, elements: values.map((v) => [[v]]) });

/**
 * One interchange (ISA/GS/ST…SE/GE/IEA) holding one transaction set per body, all of one functional
 * group. Counts and control numbers are filled in here so they cannot disagree.
 */
export function buildX12Interchange(
  transactionSet: string,
  functionalId: string,
  bodies: readonly (readonly MapSegment[])[],
  settings: X12EnvelopeSettings,
  controls: X12Controls,
  now: Date,
): string {
  const yymmdd = now.toISOString().slice(2, 10).replaceAll('-', '');
  const ccyymmdd = now.toISOString().slice(0, 10).replaceAll('-', '');
  const hhmm = now.toISOString().slice(11, 16).replace(':', '');
  const isaVersion = settings.version.startsWith('005') ? '00501' : '00401';
  const icn = formatControlNumber(controls.interchange, 'interchange');
  const gcn = formatControlNumber(controls.group, 'group');
  const segments: X12SegmentLike[] = [
    s(
      'ISA',
      '00',
      pad('', 10),
      '00',
      pad('', 10),
      pad(settings.sender.qualifier, 2),
      pad(settings.sender.id, 15),
      pad(settings.receiver.qualifier, 2),
      pad(settings.receiver.id, 15),
      yymmdd,
      hhmm,
      settings.delimiters.repetition || 'U',
      isaVersion,
      icn,
      settings.requestTa1 ? '1' : '0',
      settings.usage,
      settings.delimiters.component,
    ),
    s(
      'GS',
      functionalId,
      settings.groupSender ?? settings.sender.id,
      settings.groupReceiver ?? settings.receiver.id,
      ccyymmdd,
      hhmm,
      gcn,
      'X',
      settings.version,
    ),
  ];
  bodies.forEach((body, i) => {
    const control = formatControlNumber(controls.transactions[i] ?? i + 1, 'transaction');
    segments.push(s('ST', transactionSet, control), ...body.map(toX12), s('SE', String(body.length + 2), control));
  });
  segments.push(s('GE', String(bodies.length), gcn), s('IEA', '1', icn));
  return serializeX12(segments, { delimiters: settings.delimiters, lineEnding: settings.lineEnding ?? '\n' });
}
