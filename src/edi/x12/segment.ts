/**
 * One X12 element: its repetitions, each a list of components. A simple element is `[[value]]`.
 * Element positions are 1-based as in the standard (BEG03 is `elements[2]`).
 */
export type X12Element = readonly (readonly string[])[];

/**
 * Where a segment sits. Indices of interchange, group and transaction are 0-based and count within the
 * file, the interchange and the group; -1 means "not inside one". `segment` is 1-based within the
 * transaction set with ST = 1 (the AK3/IK3 position), 0 outside a transaction set.
 */
export interface X12Position {
  readonly interchange: number;
  readonly group: number;
  readonly transaction: number;
  readonly segment: number;
  /** Byte offset of the segment's tag in the input. */
  readonly offset: number;
  /** 1-based line of the segment's tag. */
  readonly line: number;
}

export interface X12Segment {
  readonly tag: string;
  readonly elements: readonly X12Element[];
  readonly position: X12Position;
}

/** The delimiters of one interchange. `repetition` and `component` are '' when the interchange has none. */
export interface X12Delimiters {
  readonly element: string;
  readonly repetition: string;
  readonly component: string;
  /** One character; may be a line feed or carriage return, or a non-ASCII character such as U+2026. */
  readonly segment: string;
}

export const DEFAULT_DELIMITERS: X12Delimiters = { element: '*', repetition: '', component: '>', segment: '~' };

/** The text of element `pos` (1-based), one repetition and component; '' when absent. */
export function elementValue(segment: Pick<X12Segment, 'elements'>, pos: number, component = 1, repetition = 1): string {
  return segment.elements[pos - 1]?.[repetition - 1]?.[component - 1] ?? '';
}

/** A simple element from a string. */
export function simple(value: string): X12Element {
  return [[value]];
}
