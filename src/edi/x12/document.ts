import { elementValue, type X12Segment } from './segment.js';
import { type X12InterchangeInfo, type X12Sink, X12Tokenizer, type X12TokenizerOptions } from './tokenizer.js';

export interface X12TransactionSet {
  /** ST01, e.g. '850'. */
  readonly id: string;
  /** ST02. */
  readonly control: string;
  /** ST..SE inclusive, in input order. */
  readonly segments: X12Segment[];
  trailer: X12Segment | null;
}

export interface X12FunctionalGroup {
  /** GS; null for the implicit group around bare transaction sets or a DEX transmission. */
  readonly header: X12Segment | null;
  trailer: X12Segment | null;
  readonly transactions: X12TransactionSet[];
  /** Segments inside the group but outside any transaction set (always an error). */
  readonly stray: X12Segment[];
}

export interface X12Interchange {
  readonly info: X12InterchangeInfo;
  /** ISA or DXS; null for bare transaction sets. */
  readonly header: X12Segment | null;
  trailer: X12Segment | null;
  readonly groups: X12FunctionalGroup[];
  /** Segments outside any group: ISB, ISE, TA1, and anything misplaced. */
  readonly services: X12Segment[];
  /** Every segment of the interchange in input order (what the serializer writes). */
  readonly segments: X12Segment[];
}

export interface X12Document {
  readonly interchanges: X12Interchange[];
}

/** A sink that builds the tree; for documents that fit in memory. */
export class X12DocumentBuilder implements X12Sink {
  readonly document: X12Document = { interchanges: [] };
  private current: X12Interchange | null = null;
  private group: X12FunctionalGroup | null = null;
  private transaction: X12TransactionSet | null = null;

  interchange(info: X12InterchangeInfo): void {
    const header = null;
    this.current = { info, header, trailer: null, groups: [], services: [], segments: [] };
    this.document.interchanges.push(this.current);
    this.group = null;
    this.transaction = null;
    if (info.envelope !== 'isa') this.openGroup(null);
  }

  private openGroup(header: X12Segment | null): X12FunctionalGroup {
    const group: X12FunctionalGroup = { header, trailer: null, transactions: [], stray: [] };
    this.current?.groups.push(group);
    this.group = group;
    return group;
  }

  segment(seg: X12Segment): void {
    const ix = this.current;
    if (!ix) return;
    ix.segments.push(seg);
    switch (seg.tag) {
      case 'ISA':
      case 'DXS':
        Object.assign(ix, { header: seg });
        return;
      case 'IEA':
      case 'DXE':
        ix.trailer = seg;
        this.group = null;
        this.transaction = null;
        return;
      case 'GS':
        this.openGroup(seg);
        this.transaction = null;
        return;
      case 'GE':
        if (this.group) this.group.trailer = seg;
        else ix.services.push(seg);
        this.group = null;
        this.transaction = null;
        return;
      case 'ST': {
        const group = this.group ?? this.openGroup(null);
        this.transaction = { id: elementValue(seg, 1), control: elementValue(seg, 2), segments: [seg], trailer: null };
        group.transactions.push(this.transaction);
        return;
      }
      case 'SE':
        if (this.transaction) {
          this.transaction.segments.push(seg);
          this.transaction.trailer = seg;
          this.transaction = null;
        } else {
          (this.group?.stray ?? ix.services).push(seg);
        }
        return;
      default:
        if (this.transaction) this.transaction.segments.push(seg);
        else if (this.group) this.group.stray.push(seg);
        else ix.services.push(seg);
    }
  }
}

/** Parses a whole document held in memory. Throws CD_ERR_X12_* on input that cannot be tokenized. */
export function parseX12(input: string | Buffer | Uint8Array, options: X12TokenizerOptions = {}): X12Document {
  const builder = new X12DocumentBuilder();
  const tokenizer = new X12Tokenizer(builder, options);
  tokenizer.write(input);
  tokenizer.end();
  return builder.document;
}

/** Every segment of a document, in order. */
export function* documentSegments(doc: X12Document): Generator<X12Segment> {
  for (const ix of doc.interchanges) yield* ix.segments;
}
