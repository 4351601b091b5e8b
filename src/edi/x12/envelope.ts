import type { X12Document } from './document.js';
import { X12Errors, type X12Location, X12Warnings } from './errors.js';
import type { X12Issue, X12IssueLevel } from './issues.js';
import { elementValue, type X12Segment } from './segment.js';
import type { X12Envelope, X12InterchangeInfo, X12Sink } from './tokenizer.js';

/** Checks the content of one transaction set segment by segment; see `transaction-validator.ts`. */
export interface X12TransactionChecker {
  push(segment: X12Segment): void;
  /** Issues found, without envelope control numbers (the envelope validator adds them). */
  end(): X12Issue[];
}

export type X12TransactionCheckerFactory = (transactionSetId: string, version: string) => X12TransactionChecker | null;

export interface X12TransactionResult {
  readonly id: string;
  readonly control: string;
  /** ST03 (5010 implementation convention reference), '' when absent. */
  readonly implementation: string;
  segmentCount: number;
  readonly issues: X12Issue[];
}

export interface X12GroupResult {
  /** GS01, '' for the implicit group of bare transaction sets or DEX. */
  readonly functionalId: string;
  readonly control: string;
  /** GS08 (e.g. 004010VICS); for bare or DEX input the version given to the validator. */
  readonly version: string;
  readonly sender: string;
  readonly receiver: string;
  readonly issues: X12Issue[];
  readonly transactions: X12TransactionResult[];
}

export interface X12InterchangeResult {
  readonly index: number;
  readonly envelope: X12Envelope;
  readonly control: string;
  readonly senderQualifier: string;
  readonly senderId: string;
  readonly receiverQualifier: string;
  readonly receiverId: string;
  /** ISA12. */
  readonly version: string;
  /** ISA09 and ISA10 as sent. */
  readonly date: string;
  readonly time: string;
  readonly testIndicator: string;
  readonly ackRequested: boolean;
  readonly issues: X12Issue[];
  readonly groups: X12GroupResult[];
}

export interface X12ValidationResult {
  readonly interchanges: X12InterchangeResult[];
  /** True when more issues were found than `maxIssues` and the rest were dropped. */
  truncated: boolean;
}

export interface X12ValidatorOptions {
  /** Checks transaction set content; without it only the envelope is checked. */
  transactionChecker?: X12TransactionCheckerFactory;
  /** Version assumed for transaction sets without a GS (bare or DEX). */
  defaultVersion?: string;
  /** Stops recording issues after this many (default 1000) so a hostile file cannot exhaust memory. */
  maxIssues?: number;
}

/** The functional identifier (GS01) each transaction set belongs in (X12 data element 479). */
const FUNCTIONAL_IDS: Record<string, string> = {
  '810': 'IN',
  '820': 'RA',
  '832': 'SC',
  '837': 'HC',
  '846': 'IB',
  '850': 'PO',
  '855': 'PR',
  '856': 'SH',
  '860': 'PC',
  '864': 'TX',
  '940': 'OW',
  '945': 'SW',
  '997': 'FA',
  '999': 'FA',
  '210': 'IM',
  '214': 'QM',
  '271': 'HB',
  '894': 'DX',
};

/** ISA05/ISA07 interchange ID qualifiers (X12 I05). */
const ISA_QUALIFIERS = new Set([
  '01',
  '02',
  '03',
  '04',
  '07',
  '08',
  '09',
  '10',
  '11',
  '12',
  '13',
  '14',
  '15',
  '16',
  '17',
  '18',
  '19',
  '20',
  '21',
  '22',
  '23',
  '24',
  '25',
  '26',
  '27',
  '28',
  '29',
  '30',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '38',
  'AM',
  'NR',
  'SA',
  'SN',
  'ZZ',
]);

const DIGITS = /^\d+$/;

function validDate(yyyy: number, mm: number, dd: number): boolean {
  if (mm < 1 || mm > 12 || dd < 1) return false;
  const days = [31, yyyy % 4 === 0 && (yyyy % 100 !== 0 || yyyy % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return dd <= (days[mm - 1] ?? 0);
}

/** CCYYMMDD or YYMMDD. */
export function isX12Date(value: string): boolean {
  if (!DIGITS.test(value) || (value.length !== 8 && value.length !== 6)) return false;
  const y = value.length === 8 ? Number(value.slice(0, 4)) : 2000 + Number(value.slice(0, 2));
  const rest = value.slice(value.length - 4);
  return validDate(y, Number(rest.slice(0, 2)), Number(rest.slice(2)));
}

/** HHMM, HHMMSS, HHMMSSD or HHMMSSDD. */
export function isX12Time(value: string): boolean {
  if (!DIGITS.test(value) || value.length < 4 || value.length > 8 || value.length === 5) return false;
  const hh = Number(value.slice(0, 2));
  const mm = Number(value.slice(2, 4));
  const ss = value.length >= 6 ? Number(value.slice(4, 6)) : 0;
  return hh <= 23 && mm <= 59 && ss <= 59;
}

interface OpenTransaction {
  result: X12TransactionResult;
  checker: X12TransactionChecker | null;
  header: X12Segment;
}

interface OpenGroup {
  result: X12GroupResult;
  header: X12Segment | null;
  closed: boolean;
  controls: Set<string>;
}

interface OpenInterchange {
  result: X12InterchangeResult;
  header: X12Segment | null;
  closed: boolean;
  controls: Set<string>;
  groupCount: number;
  dexTransactions: number;
}

/**
 * Checks envelopes as segments stream by (it is an X12Sink): ISA13 = IEA02, GS06 = GE02, ST02 = SE02, SE01 = the
 * segments from ST to SE, GE01 = the transaction sets, IEA01 = the groups, DXE for DEX, ISA field widths and codes,
 * GS date and time, control numbers unique within their envelope. Every mismatch becomes an X12Issue naming where.
 */
export class X12EnvelopeValidator implements X12Sink {
  readonly result: X12ValidationResult = { interchanges: [], truncated: false };
  private ix: OpenInterchange | null = null;
  private group: OpenGroup | null = null;
  private tx: OpenTransaction | null = null;
  private issueCount = 0;
  private readonly maxIssues: number;

  constructor(private readonly options: X12ValidatorOptions = {}) {
    this.maxIssues = options.maxIssues ?? 1000;
  }

  private add(bucket: X12Issue[], issue: X12Issue): void {
    if (this.issueCount >= this.maxIssues) {
      this.result.truncated = true;
      return;
    }
    this.issueCount++;
    bucket.push(issue);
  }

  private where(seg?: X12Segment): X12Location {
    return {
      interchangeControl: this.ix?.result.control || undefined,
      groupControl: this.group?.result.control || undefined,
      transactionControl: this.tx?.result.control || undefined,
      transactionSetId: this.tx?.result.id || undefined,
      segmentTag: seg?.tag,
      segmentPosition: seg && seg.position.segment > 0 ? seg.position.segment : undefined,
      offset: seg?.position.offset,
      line: seg?.position.line,
    };
  }

  private issue(
    bucket: X12Issue[],
    level: X12IssueLevel,
    code: string,
    message: string,
    seg: X12Segment | undefined,
    extra: Partial<X12Issue> = {},
  ): void {
    this.add(bucket, { ...this.where(seg), code, severity: 'error', level, message, ...extra });
  }

  /** Where an issue about the envelope goes when no interchange is open. */
  private orphanBucket(): X12Issue[] {
    if (this.ix) return this.ix.result.issues;
    const stray: X12InterchangeResult = this.newInterchangeResult(-1, 'none', null);
    this.result.interchanges.push(stray);
    return stray.issues;
  }

  private newInterchangeResult(index: number, envelope: X12Envelope, header: X12Segment | null): X12InterchangeResult {
    const v = (pos: number): string => (header && header.tag === 'ISA' ? elementValue(header, pos).trim() : '');
    // DEX/UCS DXS: 01 sender communication ID, 02 functional ID (DX), 03 version, 04 transmission control number, 05 receiver ID.
    const dex = header?.tag === 'DXS';
    return {
      index,
      envelope,
      control: dex && header ? elementValue(header, 4) : v(13),
      senderQualifier: v(5),
      senderId: dex && header ? elementValue(header, 1) : v(6),
      receiverQualifier: v(7),
      receiverId: dex && header ? elementValue(header, 5) : v(8),
      version: dex && header ? elementValue(header, 3) : v(12),
      date: v(9),
      time: v(10),
      testIndicator: v(15),
      ackRequested: v(14) === '1',
      issues: [],
      groups: [],
    };
  }

  interchange(info: X12InterchangeInfo): void {
    this.closeInterchange();
    const result = this.newInterchangeResult(info.index, info.envelope, null);
    this.result.interchanges.push(result);
    this.ix = { result, header: null, closed: false, controls: new Set(), groupCount: 0, dexTransactions: 0 };
    this.group = null;
    this.tx = null;
    if (info.envelope !== 'isa') this.openGroup(null);
  }

  private openGroup(header: X12Segment | null): OpenGroup {
    const ix = this.ix;
    const h = (pos: number): string => (header ? elementValue(header, pos) : '');
    const result: X12GroupResult = {
      functionalId: h(1),
      control: h(6),
      version: header ? h(8) : (this.options.defaultVersion ?? ''),
      sender: h(2),
      receiver: h(3),
      issues: [],
      transactions: [],
    };
    ix?.result.groups.push(result);
    this.group = { result, header, closed: false, controls: new Set() };
    return this.group;
  }

  segment(seg: X12Segment): void {
    switch (seg.tag) {
      case 'ISA':
      case 'DXS':
        this.onHeader(seg);
        return;
      case 'IEA':
      case 'DXE':
        this.onInterchangeTrailer(seg);
        return;
      case 'GS':
        this.onGroupHeader(seg);
        return;
      case 'GE':
        this.onGroupTrailer(seg);
        return;
      case 'ST':
        this.onTransactionHeader(seg);
        return;
      case 'SE':
        this.onTransactionTrailer(seg);
        return;
      default:
        this.onBody(seg);
    }
  }

  private onHeader(seg: X12Segment): void {
    const ix = this.ix;
    if (!ix) return;
    const fresh = this.newInterchangeResult(ix.result.index, ix.result.envelope, seg);
    Object.assign(ix.result, { ...fresh, issues: ix.result.issues, groups: ix.result.groups });
    ix.header = seg;
    if (seg.tag === 'ISA') this.checkIsa(seg, ix.result.issues);
  }

  private checkIsa(seg: X12Segment, bucket: X12Issue[]): void {
    // X12.5 ISA: fixed widths, the TA105 note code that reports each field.
    const fields: Array<[number, number, string, string]> = [
      [1, 2, '010', 'authorization information qualifier'],
      [2, 10, '011', 'authorization information'],
      [3, 2, '012', 'security information qualifier'],
      [4, 10, '013', 'security information'],
      [5, 2, '005', 'sender ID qualifier'],
      [6, 15, '006', 'sender ID'],
      [7, 2, '007', 'receiver ID qualifier'],
      [8, 15, '008', 'receiver ID'],
      [9, 6, '014', 'interchange date'],
      [10, 4, '015', 'interchange time'],
      [11, 1, '016', 'repetition separator / standards identifier'],
      [12, 5, '017', 'interchange version'],
      [13, 9, '018', 'interchange control number'],
      [14, 1, '019', 'acknowledgment requested'],
      [15, 1, '020', 'usage indicator'],
    ];
    const el = (pos: number): X12Location => ({ elementPosition: pos, segmentTag: 'ISA' });
    if (seg.elements.length !== 16) {
      this.issue(bucket, 'interchange', X12Errors.headerField.code, `ISA has ${seg.elements.length} elements, 16 expected`, seg, {
        ackCode: '022',
      });
    }
    for (const [pos, width, ackCode, name] of fields) {
      const value = elementValue(seg, pos);
      if (value.length > width) {
        this.issue(
          bucket,
          'interchange',
          X12Errors.headerField.code,
          `ISA${String(pos).padStart(2, '0')} ${name} is ${value.length} characters, ${width} allowed`,
          seg,
          {
            ...el(pos),
            ackCode,
            value,
          },
        );
      } else if (value.length < width) {
        this.add(bucket, {
          ...this.where(seg),
          ...el(pos),
          code: X12Warnings.isaPadding,
          severity: 'warning',
          level: 'interchange',
          message: `ISA${String(pos).padStart(2, '0')} ${name} is ${value.length} characters, not padded to ${width}`,
          value,
        });
      }
    }
    const bad = (pos: number, ackCode: string, message: string): void => {
      this.issue(bucket, 'interchange', X12Errors.headerField.code, message, seg, { ...el(pos), ackCode, value: elementValue(seg, pos) });
    };
    const v = (pos: number): string => elementValue(seg, pos).trim();
    if (!/^0[0-6]$/.test(v(1))) bad(1, '010', `ISA01 ${JSON.stringify(v(1))} is not an authorization qualifier (00 to 06)`);
    if (!['00', '01'].includes(v(3))) bad(3, '012', `ISA03 ${JSON.stringify(v(3))} is not a security qualifier (00, 01)`);
    if (!ISA_QUALIFIERS.has(v(5))) bad(5, '005', `ISA05 ${JSON.stringify(v(5))} is not an interchange ID qualifier`);
    if (v(6) === '') bad(6, '006', 'ISA06 sender ID is blank');
    if (!ISA_QUALIFIERS.has(v(7))) bad(7, '007', `ISA07 ${JSON.stringify(v(7))} is not an interchange ID qualifier`);
    if (v(8) === '') bad(8, '008', 'ISA08 receiver ID is blank');
    if (v(9).length !== 6 || !isX12Date(v(9))) bad(9, '014', `ISA09 ${JSON.stringify(v(9))} is not a YYMMDD date`);
    if (v(10).length !== 4 || !isX12Time(v(10))) bad(10, '015', `ISA10 ${JSON.stringify(v(10))} is not an HHMM time`);
    if (!/^\d{5}$/.test(v(12))) bad(12, '017', `ISA12 ${JSON.stringify(v(12))} is not a 5-digit version`);
    if (!DIGITS.test(v(13)) || v(13).length > 9) bad(13, '018', `ISA13 ${JSON.stringify(v(13))} is not a control number of up to 9 digits`);
    if (!['0', '1'].includes(v(14))) bad(14, '019', `ISA14 ${JSON.stringify(v(14))} is not 0 or 1`);
    if (!['P', 'T', 'I'].includes(v(15))) bad(15, '020', `ISA15 ${JSON.stringify(v(15))} is not P, T or I`);
  }

  private onInterchangeTrailer(seg: X12Segment): void {
    const ix = this.ix;
    if (!ix || ix.closed || (seg.tag === 'IEA') !== (ix.result.envelope === 'isa')) {
      this.issue(
        this.orphanBucket(),
        'interchange',
        X12Errors.structure.code,
        `${seg.tag} without a matching ${seg.tag === 'IEA' ? 'ISA' : 'DXS'}`,
        seg,
        {
          ackCode: '022',
        },
      );
      return;
    }
    this.closeTransaction(seg);
    const bucket = ix.result.issues;
    if (seg.tag === 'IEA') {
      if (this.group && !this.group.closed && this.group.header) this.closeGroup(seg);
      const declared = elementValue(seg, 1);
      if (Number(declared) !== ix.groupCount || !DIGITS.test(declared)) {
        this.issue(
          bucket,
          'interchange',
          X12Errors.countMismatch.code,
          `IEA01 says ${JSON.stringify(declared)} functional groups, the interchange has ${ix.groupCount}`,
          seg,
          {
            elementPosition: 1,
            ackCode: '021',
            value: declared,
          },
        );
      }
      const control = elementValue(seg, 2);
      if (control !== ix.result.control) {
        this.issue(
          bucket,
          'interchange',
          X12Errors.controlMismatch.code,
          `IEA02 ${JSON.stringify(control)} differs from ISA13 ${JSON.stringify(ix.result.control)}`,
          seg,
          {
            elementPosition: 2,
            ackCode: '001',
            value: control,
          },
        );
      }
    } else {
      const control = elementValue(seg, 1);
      if (control !== ix.result.control) {
        this.issue(
          bucket,
          'interchange',
          X12Errors.controlMismatch.code,
          `DXE01 ${JSON.stringify(control)} differs from DXS04 ${JSON.stringify(ix.result.control)}`,
          seg,
          {
            elementPosition: 1,
            ackCode: '001',
            value: control,
          },
        );
      }
      const declared = elementValue(seg, 2);
      if (Number(declared) !== ix.dexTransactions || !DIGITS.test(declared)) {
        this.issue(
          bucket,
          'interchange',
          X12Errors.countMismatch.code,
          `DXE02 says ${JSON.stringify(declared)} transaction sets, the transmission has ${ix.dexTransactions}`,
          seg,
          {
            elementPosition: 2,
            ackCode: '021',
            value: declared,
          },
        );
      }
    }
    ix.closed = true;
    this.group = null;
  }

  private onGroupHeader(seg: X12Segment): void {
    const ix = this.ix;
    if (!ix || ix.closed || ix.result.envelope !== 'isa') {
      this.issue(this.orphanBucket(), 'interchange', X12Errors.structure.code, 'GS outside an ISA..IEA interchange', seg, {
        ackCode: '024',
      });
      return;
    }
    this.closeTransaction(seg);
    if (this.group && !this.group.closed) this.closeGroup(seg);
    ix.groupCount++;
    const group = this.openGroup(seg);
    const bucket = ix.result.issues;
    const bad = (pos: number, message: string): void => {
      this.issue(bucket, 'interchange', X12Errors.headerField.code, message, seg, {
        elementPosition: pos,
        ackCode: '024',
        value: elementValue(seg, pos),
      });
    };
    const v = (pos: number): string => elementValue(seg, pos);
    if (seg.elements.length < 8) bad(seg.elements.length + 1, `GS has ${seg.elements.length} elements, 8 expected`);
    if (!/^[A-Z0-9]{2}$/.test(v(1))) bad(1, `GS01 ${JSON.stringify(v(1))} is not a functional identifier code`);
    for (const pos of [2, 3]) {
      if (v(pos).length < 2 || v(pos).length > 15) bad(pos, `GS0${pos} ${JSON.stringify(v(pos))} must be 2 to 15 characters`);
    }
    // GS04 was YYMMDD before version 004010 (staedi sample: GS*PO … v003010).
    const oldVersion = /^00[0-3]/.test(v(8));
    if (!isX12Date(v(4)) || (v(4).length === 6 && !oldVersion)) bad(4, `GS04 ${JSON.stringify(v(4))} is not a CCYYMMDD date`);
    if (!isX12Time(v(5))) bad(5, `GS05 ${JSON.stringify(v(5))} is not an HHMM[SS[D[D]]] time`);
    const control = v(6);
    if (!DIGITS.test(control) || control.length > 9) {
      this.issue(
        group.result.issues,
        'group',
        X12Errors.headerField.code,
        `GS06 ${JSON.stringify(control)} is not a control number of 1 to 9 digits`,
        seg,
        {
          elementPosition: 6,
          ackCode: '6',
          value: control,
        },
      );
    } else if (ix.controls.has(control)) {
      this.issue(group.result.issues, 'group', X12Errors.duplicateControl.code, `GS06 ${control} is used twice in this interchange`, seg, {
        elementPosition: 6,
        ackCode: '19',
        value: control,
      });
    }
    ix.controls.add(control);
    if (!['X', 'T'].includes(v(7))) bad(7, `GS07 ${JSON.stringify(v(7))} is not a responsible agency code (X, T)`);
    if (v(8).length < 1 || v(8).length > 12) bad(8, `GS08 ${JSON.stringify(v(8))} must be 1 to 12 characters`);
  }

  private onGroupTrailer(seg: X12Segment): void {
    if (!this.group || this.group.closed || !this.group.header) {
      this.issue(this.orphanBucket(), 'interchange', X12Errors.structure.code, 'GE without a matching GS', seg, { ackCode: '024' });
      return;
    }
    this.closeTransaction(seg);
    const group = this.group;
    const declared = elementValue(seg, 1);
    if (Number(declared) !== group.result.transactions.length || !DIGITS.test(declared)) {
      this.issue(
        group.result.issues,
        'group',
        X12Errors.countMismatch.code,
        `GE01 says ${JSON.stringify(declared)} transaction sets, the group has ${group.result.transactions.length}`,
        seg,
        {
          elementPosition: 1,
          ackCode: '5',
          value: declared,
        },
      );
    }
    const control = elementValue(seg, 2);
    if (control !== group.result.control) {
      this.issue(
        group.result.issues,
        'group',
        X12Errors.controlMismatch.code,
        `GE02 ${JSON.stringify(control)} differs from GS06 ${JSON.stringify(group.result.control)}`,
        seg,
        {
          elementPosition: 2,
          ackCode: '4',
          value: control,
        },
      );
    }
    group.closed = true;
  }

  private onTransactionHeader(seg: X12Segment): void {
    this.closeTransaction(seg);
    const ix = this.ix;
    if (!ix || ix.closed || !this.group || this.group.closed) {
      const bucket = this.orphanBucket();
      this.issue(bucket, 'interchange', X12Errors.structure.code, 'ST outside a functional group', seg, { ackCode: '024' });
      if (!this.ix || this.ix.closed) return;
      this.openGroup(null).closed = true;
    }
    const group = this.group;
    if (!group || !this.ix) return;
    if (this.ix.result.envelope === 'dex') this.ix.dexTransactions++;
    const result: X12TransactionResult = {
      id: elementValue(seg, 1),
      control: elementValue(seg, 2),
      implementation: elementValue(seg, 3),
      segmentCount: 1,
      issues: [],
    };
    group.result.transactions.push(result);
    const checker = this.options.transactionChecker?.(result.id, group.result.version) ?? null;
    this.tx = { result, checker, header: seg };
    if (!/^\d{3}$/.test(result.id)) {
      this.issue(
        result.issues,
        'transaction',
        X12Errors.headerField.code,
        `ST01 ${JSON.stringify(result.id)} is not a transaction set identifier`,
        seg,
        {
          elementPosition: 1,
          ackCode: '6',
          value: result.id,
        },
      );
    }
    if (result.control.length < 4 || result.control.length > 9) {
      this.issue(
        result.issues,
        'transaction',
        X12Errors.headerField.code,
        `ST02 ${JSON.stringify(result.control)} must be 4 to 9 characters`,
        seg,
        {
          elementPosition: 2,
          ackCode: '7',
          value: result.control,
        },
      );
    } else if (group.controls.has(result.control)) {
      this.issue(
        result.issues,
        'transaction',
        X12Errors.duplicateControl.code,
        `ST02 ${result.control} is used twice in this functional group`,
        seg,
        {
          elementPosition: 2,
          ackCode: '23',
          value: result.control,
        },
      );
    }
    group.controls.add(result.control);
    const expected = FUNCTIONAL_IDS[result.id];
    if (group.header && expected && group.result.functionalId !== expected) {
      this.add(result.issues, {
        ...this.where(seg),
        code: X12Warnings.functionalId,
        severity: 'warning',
        level: 'transaction',
        message: `transaction set ${result.id} belongs in a GS01 ${expected} group, not ${group.result.functionalId}`,
      });
    }
    checker?.push(seg);
  }

  private onTransactionTrailer(seg: X12Segment): void {
    const tx = this.tx;
    if (!tx) {
      this.issue(this.group?.result.issues ?? this.orphanBucket(), 'group', X12Errors.structure.code, 'SE without a matching ST', seg, {
        ackCode: '5',
      });
      return;
    }
    tx.result.segmentCount++;
    tx.checker?.push(seg);
    const declared = elementValue(seg, 1);
    if (Number(declared) !== tx.result.segmentCount || !DIGITS.test(declared)) {
      this.issue(
        tx.result.issues,
        'transaction',
        X12Errors.countMismatch.code,
        `SE01 says ${JSON.stringify(declared)} segments, the transaction set has ${tx.result.segmentCount} (ST to SE)`,
        seg,
        {
          elementPosition: 1,
          ackCode: '4',
          value: declared,
        },
      );
    }
    const control = elementValue(seg, 2);
    if (control !== tx.result.control) {
      this.issue(
        tx.result.issues,
        'transaction',
        X12Errors.controlMismatch.code,
        `SE02 ${JSON.stringify(control)} differs from ST02 ${JSON.stringify(tx.result.control)}`,
        seg,
        {
          elementPosition: 2,
          ackCode: '3',
          value: control,
        },
      );
    }
    this.finishTransaction();
  }

  private onBody(seg: X12Segment): void {
    const tx = this.tx;
    if (tx) {
      tx.result.segmentCount++;
      tx.checker?.push(seg);
      return;
    }
    const ix = this.ix;
    const betweenGroups = ix && !ix.closed && ix.result.envelope === 'isa' && (!this.group || this.group.closed);
    if (betweenGroups && (seg.tag === 'ISB' || seg.tag === 'ISE' || seg.tag === 'TA1')) return;
    this.issue(
      this.group && !this.group.closed ? this.group.result.issues : this.orphanBucket(),
      'interchange',
      X12Errors.structure.code,
      `segment ${seg.tag} outside a transaction set`,
      seg,
      {
        ackCode: '024',
      },
    );
  }

  private finishTransaction(): void {
    const tx = this.tx;
    if (!tx) return;
    const where = this.where();
    for (const issue of tx.checker?.end() ?? []) {
      this.add(tx.result.issues, {
        ...issue,
        interchangeControl: where.interchangeControl,
        groupControl: where.groupControl,
        transactionControl: tx.result.control,
        transactionSetId: tx.result.id,
      });
    }
    this.tx = null;
  }

  /** A transaction set cut short by another envelope segment or the end of input. */
  private closeTransaction(next: X12Segment | undefined): void {
    const tx = this.tx;
    if (!tx) return;
    this.issue(
      tx.result.issues,
      'transaction',
      X12Errors.structure.code,
      `transaction set ${tx.result.id} ${tx.result.control} has no SE before ${next ? next.tag : 'the end of input'}`,
      next,
      {
        segmentTag: 'SE',
        segmentPosition: undefined,
        ackCode: '2',
      },
    );
    this.finishTransaction();
  }

  private closeGroup(next: X12Segment | undefined): void {
    const group = this.group;
    if (!group || group.closed || !group.header) return;
    this.issue(
      group.result.issues,
      'group',
      X12Errors.structure.code,
      `functional group ${group.result.control} has no GE before ${next ? next.tag : 'the end of input'}`,
      next,
      {
        segmentTag: 'GE',
        ackCode: '3',
      },
    );
    group.closed = true;
  }

  private closeInterchange(): void {
    const ix = this.ix;
    if (!ix) return;
    this.closeTransaction(undefined);
    this.closeGroup(undefined);
    if (!ix.closed && ix.result.envelope !== 'none') {
      const trailer = ix.result.envelope === 'isa' ? 'IEA' : 'DXE';
      this.issue(
        ix.result.issues,
        'interchange',
        X12Errors.structure.code,
        `interchange ${ix.result.control} has no ${trailer}`,
        undefined,
        {
          segmentTag: trailer,
          ackCode: '023',
        },
      );
    }
    ix.closed = true;
    this.ix = null;
    this.group = null;
  }

  /** Call at the end of input: reports what was left open. */
  end(): X12ValidationResult {
    this.closeInterchange();
    return this.result;
  }
}

/** Validates a parsed document (envelope, plus content when a checker factory is given). */
export function validateX12Document(doc: X12Document, options: X12ValidatorOptions = {}): X12ValidationResult {
  const validator = new X12EnvelopeValidator(options);
  for (const ix of doc.interchanges) {
    validator.interchange(ix.info);
    for (const seg of ix.segments) validator.segment(seg);
  }
  return validator.end();
}

/** Every issue of a result, interchange first, then groups, then transaction sets. */
export function allIssues(result: X12ValidationResult): X12Issue[] {
  const out: X12Issue[] = [];
  for (const ix of result.interchanges) {
    out.push(...ix.issues);
    for (const g of ix.groups) {
      out.push(...g.issues);
      for (const t of g.transactions) out.push(...t.issues);
    }
  }
  return out;
}
