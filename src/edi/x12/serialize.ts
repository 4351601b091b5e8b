import type { X12Document } from './document.js';
import { X12Errors, x12Error } from './errors.js';
import type { X12Delimiters, X12Element } from './segment.js';

export interface X12SerializeOptions {
  /** The partner's delimiters. */
  delimiters: X12Delimiters;
  /** Written after each segment terminator ('' by default). */
  lineEnding?: '' | '\n' | '\r\n';
  /** Whether the last segment also gets the line ending (default true). */
  trailingLineEnding?: boolean;
}

export interface X12SegmentLike {
  readonly tag: string;
  readonly elements: readonly X12Element[];
}

function checkDelimiters(d: X12Delimiters): void {
  const used = [d.element, d.segment, d.component, d.repetition].filter((x) => x !== '');
  if (d.element.length !== 1 || d.segment.length !== 1) {
    throw X12Errors.serialize('element separator and segment terminator must be one character each', { delimiters: { ...d } });
  }
  if (new Set(used).size !== used.length) throw X12Errors.serialize('delimiters must differ from each other', { delimiters: { ...d } });
}

function checkValue(value: string, forbidden: string[], tag: string, pos: number): void {
  for (const ch of forbidden) {
    if (value.includes(ch)) {
      throw x12Error(
        X12Errors.serialize,
        `value ${JSON.stringify(value)} contains delimiter ${JSON.stringify(ch)}; X12 has no release character`,
        {
          segmentTag: tag,
          elementPosition: pos,
        },
      );
    }
  }
}

/** One segment with its terminator (no line ending). ISA11 and ISA16 are rewritten to the target delimiters. */
export function serializeSegment(segment: X12SegmentLike, d: X12Delimiters): string {
  const forbidden = [d.element, d.segment, d.component, d.repetition, '\r', '\n'].filter((x) => x !== '');
  let out = segment.tag;
  const isa = segment.tag === 'ISA';
  for (let i = 0; i < segment.elements.length; i++) {
    const element = segment.elements[i] ?? [['']];
    out += d.element;
    if (isa && i === 10) {
      out += d.repetition || (element[0]?.[0] ?? 'U');
      continue;
    }
    if (isa && i === 15) {
      out += d.component;
      continue;
    }
    for (let r = 0; r < element.length; r++) {
      if (r > 0) out += d.repetition;
      const comps = element[r] ?? [];
      if ((r > 0 || element.length > 1) && !d.repetition) {
        throw x12Error(X12Errors.serialize, 'element has repetitions but the delimiter set has no repetition separator', {
          segmentTag: segment.tag,
          elementPosition: i + 1,
        });
      }
      if (comps.length > 1 && !d.component) {
        throw x12Error(X12Errors.serialize, 'element has components but the delimiter set has no component separator', {
          segmentTag: segment.tag,
          elementPosition: i + 1,
        });
      }
      for (let c = 0; c < comps.length; c++) {
        if (c > 0) out += d.component;
        const value = comps[c] ?? '';
        // BIN02 is length-prefixed binary data (X12.6): any byte may appear in it.
        if (!(segment.tag === 'BIN' && i === 1)) checkValue(value, forbidden, segment.tag, i + 1);
        out += value;
      }
    }
  }
  return out + d.segment;
}

/** Writes segments (or a parsed document) with the given delimiters. */
export function serializeX12(input: X12Document | Iterable<X12SegmentLike>, options: X12SerializeOptions): string {
  checkDelimiters(options.delimiters);
  const lineEnding = options.lineEnding ?? '';
  const parts: string[] = [];
  const segments: Iterable<X12SegmentLike> = 'interchanges' in input ? input.interchanges.flatMap((ix) => ix.segments) : input;
  for (const seg of segments) parts.push(serializeSegment(seg, options.delimiters));
  if (parts.length === 0) return '';
  const body = parts.join(lineEnding);
  return options.trailingLineEnding === false ? body : body + lineEnding;
}
