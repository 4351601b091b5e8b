import { EdifactErrors, type EdifactLocation } from './errors.js';
import { type SyntaxErrorCode, SyntaxErrors } from './syntax-codes.js';

/** Where a segment was found. Ordinals are 0-based; `segmentInMessage` is 1-based with UNH = 1 (as in CONTRL 0096). */
export interface SegmentPosition {
  /** Ordinal of the segment in the whole input (UNA is not a segment). */
  index: number;
  /** Ordinal of the interchange in the input; -1 for segments before any UNB. */
  interchange: number;
  /** Ordinal of the group within its interchange, when inside UNG…UNE. */
  group: number | undefined;
  /** Ordinal of the message within its interchange, when inside UNH…UNT. */
  message: number | undefined;
  segmentInMessage: number | undefined;
  interchangeRef: string | undefined;
  groupRef: string | undefined;
  messageRef: string | undefined;
  /** 1-based line of the segment tag. */
  line: number;
  /** Offset of the segment tag in the input bytes (after a BOM counts 3); undefined for ISO 2022 input. */
  byteOffset: number | undefined;
}

/**
 * One segment. `elements[i]` is data element i+1 as its components, release characters removed.
 * In syntax version 4 a data element may repeat; then `repetitions[i]` lists every occurrence
 * (the first one is also `elements[i]`). `repetitions` is absent when nothing repeats.
 */
export interface EdifactSegment {
  tag: string;
  elements: string[][];
  repetitions?: string[][][];
  position: SegmentPosition;
}

/** Component value by CONTRL-style 1-based positions; undefined when absent. */
export function componentAt(seg: Pick<EdifactSegment, 'elements'>, elementPosition: number, componentPosition = 1): string | undefined {
  return seg.elements[elementPosition - 1]?.[componentPosition - 1];
}

/** Component value, or '' when absent. */
export function valueAt(seg: Pick<EdifactSegment, 'elements'>, elementPosition: number, componentPosition = 1): string {
  return componentAt(seg, elementPosition, componentPosition) ?? '';
}

export function locationOf(seg: EdifactSegment, elementPosition?: number, componentPosition?: number): EdifactLocation {
  const p = seg.position;
  const loc: EdifactLocation = { tag: seg.tag, line: p.line, segmentIndex: p.index };
  if (p.interchangeRef !== undefined) loc.interchangeRef = p.interchangeRef;
  if (p.groupRef !== undefined) loc.groupRef = p.groupRef;
  if (p.messageRef !== undefined) loc.messageRef = p.messageRef;
  if (p.segmentInMessage !== undefined) loc.segmentPosition = p.segmentInMessage;
  if (p.byteOffset !== undefined) loc.byteOffset = p.byteOffset;
  if (elementPosition !== undefined) loc.elementPosition = elementPosition;
  if (componentPosition !== undefined) loc.componentPosition = componentPosition;
  return loc;
}

export type NumericResult = { ok: true; value: string; digits: number } | { ok: false; syntaxError: SyntaxErrorCode; reason: string };

/**
 * Reads an EDIFACT numeric value (ISO 9735 §10): optional leading minus, digits, at most one decimal
 * mark with a digit before it. Returns it with '.' as decimal mark; `digits` excludes sign and mark,
 * as the n..N length rule does. The declared mark is expected; the other one ('.' vs ',') is accepted
 * unless `strict`, because partners routinely send a comma under default separators.
 */
export function parseNumeric(raw: string, decimalMark: string, strict = false): NumericResult {
  const other = decimalMark === ',' ? '.' : ',';
  let s = raw;
  let sign = '';
  if (s.startsWith('-')) {
    sign = '-';
    s = s.slice(1);
  }
  let mark = -1;
  let digits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c >= '0' && c <= '9') {
      digits++;
      continue;
    }
    if (c === decimalMark || (!strict && c === other)) {
      if (mark !== -1)
        return { ok: false, syntaxError: SyntaxErrors.invalidDecimalNotation, reason: `two decimal marks in ${JSON.stringify(raw)}` };
      mark = i;
      continue;
    }
    if (c === other) {
      return {
        ok: false,
        syntaxError: SyntaxErrors.invalidDecimalNotation,
        reason: `decimal mark ${JSON.stringify(c)} differs from UNA's ${JSON.stringify(decimalMark)}`,
      };
    }
    return { ok: false, syntaxError: SyntaxErrors.invalidTypeOfCharacters, reason: `${JSON.stringify(raw)} is not numeric` };
  }
  if (digits === 0) return { ok: false, syntaxError: SyntaxErrors.invalidValue, reason: `${JSON.stringify(raw)} holds no digits` };
  if (mark === 0)
    return {
      ok: false,
      syntaxError: SyntaxErrors.missingDigitBeforeDecimalSign,
      reason: `${JSON.stringify(raw)} has no digit before the decimal mark`,
    };
  const normalised = mark === -1 ? s : `${s.slice(0, mark)}.${s.slice(mark + 1)}`;
  return { ok: true, value: sign + (normalised.endsWith('.') ? normalised.slice(0, -1) : normalised), digits };
}

/**
 * A numeric component normalised to '.' as decimal mark (the raw text stays in `elements`).
 * Undefined when the component is absent or empty; throws CD_ERR_EDIFACT_SYNTAX with its position when not numeric.
 */
export function decimalAt(
  seg: EdifactSegment,
  elementPosition: number,
  componentPosition: number,
  decimalMark: string,
): string | undefined {
  const raw = componentAt(seg, elementPosition, componentPosition);
  if (raw === undefined || raw === '') return undefined;
  const r = parseNumeric(raw, decimalMark);
  if (!r.ok) {
    throw EdifactErrors.syntax(`${r.reason} (${seg.tag} element ${elementPosition} component ${componentPosition})`, {
      ...locationOf(seg, elementPosition, componentPosition),
      syntaxError: r.syntaxError,
    });
  }
  return r.value;
}
