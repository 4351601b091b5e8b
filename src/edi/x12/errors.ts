import { type CrossdockError, defineError } from '../../kernel/index.js';

/** Error codes of the X12 codec. All are permanent: the bytes are wrong, retrying cannot help. */
export const X12Errors = {
  syntax: defineError('CD_ERR_X12_SYNTAX', { class: 'permanent', title: 'X12 syntax error' }),
  isa: defineError('CD_ERR_X12_ISA', { class: 'permanent', title: 'ISA header cannot be read' }),
  noEnvelope: defineError('CD_ERR_X12_NO_ENVELOPE', { class: 'permanent', title: 'Input does not start with ISA, ST or DXS' }),
  segmentTooLong: defineError('CD_ERR_X12_SEGMENT_TOO_LONG', { class: 'permanent', title: 'Segment exceeds the size limit' }),
  structure: defineError('CD_ERR_X12_ENVELOPE_STRUCTURE', { class: 'permanent', title: 'Envelope segment missing or out of place' }),
  controlMismatch: defineError('CD_ERR_X12_CONTROL_MISMATCH', { class: 'permanent', title: 'Header and trailer control numbers differ' }),
  countMismatch: defineError('CD_ERR_X12_COUNT_MISMATCH', { class: 'permanent', title: 'Trailer count differs from the actual count' }),
  headerField: defineError('CD_ERR_X12_HEADER_FIELD', { class: 'permanent', title: 'ISA, GS or ST field is invalid' }),
  duplicateControl: defineError('CD_ERR_X12_DUPLICATE_CONTROL', {
    class: 'permanent',
    title: 'Control number repeated within its envelope',
  }),
  duplicate: defineError('CD_ERR_X12_DUPLICATE_INTERCHANGE', { class: 'permanent', title: 'Interchange already received' }),
  segment: defineError('CD_ERR_X12_SEGMENT', { class: 'permanent', title: 'Segment does not match the transaction set specification' }),
  element: defineError('CD_ERR_X12_ELEMENT', { class: 'permanent', title: 'Element does not match the transaction set specification' }),
  unknownTransaction: defineError('CD_ERR_X12_UNKNOWN_TRANSACTION', {
    class: 'permanent',
    title: 'No specification for this transaction set and version',
  }),
  ack: defineError('CD_ERR_X12_ACK_INVALID', { class: 'permanent', title: '997/999/TA1 cannot be read' }),
  serialize: defineError('CD_ERR_X12_SERIALIZE', { class: 'permanent', title: 'Value cannot be written with these delimiters' }),
  controlNumber: defineError('CD_ERR_X12_CONTROL_NUMBER', { class: 'permanent', title: 'Control number cannot be allocated' }),
} as const;

export type X12ErrorFactory = (typeof X12Errors)[keyof typeof X12Errors];

/** Codes used for warnings only: the input is accepted but not as the standard says. */
export const X12Warnings = {
  isaPadding: 'CD_WARN_X12_ISA_PADDING',
  functionalId: 'CD_WARN_X12_FUNCTIONAL_ID',
  unknownTransaction: 'CD_WARN_X12_UNKNOWN_TRANSACTION',
} as const;

/**
 * Where something sits in an interchange, in the terms a 997/999 uses: `segmentPosition` counts ST as 1;
 * `elementPosition` counts the first element after the tag as 1; `componentPosition` and `repetition` are 1-based.
 */
export interface X12Location {
  interchangeControl?: string;
  groupControl?: string;
  transactionControl?: string;
  transactionSetId?: string;
  segmentPosition?: number;
  segmentTag?: string;
  elementPosition?: number;
  componentPosition?: number;
  repetition?: number;
  dataElementRef?: number;
  loopId?: string;
  /** Byte offset of the segment in the input, and its 1-based line. */
  offset?: number;
  line?: number;
}

export function describeLocation(loc: X12Location): string {
  const parts: string[] = [];
  if (loc.interchangeControl !== undefined) parts.push(`ISA13 ${loc.interchangeControl}`);
  if (loc.groupControl !== undefined) parts.push(`GS06 ${loc.groupControl}`);
  if (loc.transactionControl !== undefined) parts.push(`ST02 ${loc.transactionControl}`);
  if (loc.segmentTag !== undefined) {
    parts.push(loc.segmentPosition ? `segment ${loc.segmentTag} #${loc.segmentPosition}` : `segment ${loc.segmentTag}`);
  }
  if (loc.elementPosition !== undefined) {
    const el = `${loc.segmentTag ?? ''}${String(loc.elementPosition).padStart(2, '0')}`;
    parts.push(loc.componentPosition !== undefined ? `element ${el}-${loc.componentPosition}` : `element ${el}`);
  }
  if (loc.line !== undefined) parts.push(`line ${loc.line}`);
  return parts.join(', ');
}

/** Builds a located error: the message ends with where, `details` carries every field of the location. */
export function x12Error(factory: X12ErrorFactory, what: string, loc: X12Location = {}): CrossdockError {
  const where = describeLocation(loc);
  return factory(where ? `${what} (${where})` : what, { ...loc, path: where || undefined });
}
