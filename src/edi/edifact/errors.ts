import { type CrossdockError, defineError } from '../../kernel/index.js';
import type { SyntaxErrorCode } from './syntax-codes.js';

/** Error codes of the EDIFACT codec. All are permanent: the bytes are wrong, retrying cannot help. */
export const EdifactErrors = {
  syntax: defineError('CD_ERR_EDIFACT_SYNTAX', { class: 'permanent', title: 'EDIFACT syntax error' }),
  una: defineError('CD_ERR_EDIFACT_UNA', { class: 'permanent', title: 'Invalid UNA service string advice' }),
  encoding: defineError('CD_ERR_EDIFACT_ENCODING', { class: 'permanent', title: 'Bytes do not decode in the declared character set' }),
  segmentTooLong: defineError('CD_ERR_EDIFACT_SEGMENT_TOO_LONG', { class: 'permanent', title: 'Segment exceeds the size limit' }),
  envelope: defineError('CD_ERR_EDIFACT_ENVELOPE', { class: 'permanent', title: 'EDIFACT envelope check failed' }),
  duplicate: defineError('CD_ERR_EDIFACT_DUPLICATE_INTERCHANGE', { class: 'permanent', title: 'Interchange already received' }),
  message: defineError('CD_ERR_EDIFACT_MESSAGE_INVALID', { class: 'permanent', title: 'EDIFACT message does not match its specification' }),
  unknownMessage: defineError('CD_ERR_EDIFACT_UNKNOWN_MESSAGE', {
    class: 'permanent',
    title: 'No specification for this message type and version',
  }),
  contrl: defineError('CD_ERR_EDIFACT_CONTRL_INVALID', { class: 'permanent', title: 'CONTRL message cannot be read' }),
  serialize: defineError('CD_ERR_EDIFACT_SERIALIZE', { class: 'permanent', title: 'Value cannot be written with these separators' }),
} as const;

/** Codes used for warnings only: the input is accepted but not as the standard says. */
export const EdifactWarnings = {
  needlessRelease: 'CD_WARN_EDIFACT_NEEDLESS_RELEASE',
  lineBreakInSegment: 'CD_WARN_EDIFACT_LINE_BREAK_IN_SEGMENT',
  newlineTerminator: 'CD_WARN_EDIFACT_NEWLINE_TERMINATOR',
  charsetFallback: 'CD_WARN_EDIFACT_CHARSET_FALLBACK',
  unknownCharset: 'CD_WARN_EDIFACT_UNKNOWN_CHARSET',
  noInterchange: 'CD_WARN_EDIFACT_NO_INTERCHANGE',
  abandonedHeader: 'CD_WARN_EDIFACT_ABANDONED_UNB',
  unterminatedLastSegment: 'CD_WARN_EDIFACT_UNTERMINATED_LAST_SEGMENT',
  specStandIn: 'CD_WARN_EDIFACT_SPEC_STAND_IN',
} as const;

/**
 * Where something sits in an interchange. Positions follow CONTRL conventions: `segmentPosition`
 * counts UNH as 1; `elementPosition` counts the first data element after the tag as 1;
 * `componentPosition` and `repetition` are 1-based.
 */
export interface EdifactLocation {
  interchangeRef?: string;
  groupRef?: string;
  messageRef?: string;
  segmentPosition?: number;
  tag?: string;
  elementPosition?: number;
  componentPosition?: number;
  repetition?: number;
  line?: number;
  byteOffset?: number;
  /** Ordinal of the segment in the input (SegmentPosition.index); ties an issue to its message. */
  segmentIndex?: number;
}

export interface EdifactIssue {
  /** `CD_ERR_EDIFACT_…` for errors, `CD_WARN_EDIFACT_…` for warnings. */
  code: string;
  severity: 'error' | 'warning';
  /** The 0085 code a CONTRL would carry for this issue, when one applies. */
  syntaxError?: SyntaxErrorCode;
  message: string;
  location: EdifactLocation;
}

/** "interchange 42, message 7, segment 12 (NAD), element 3, component 2, line 14" */
export function describeLocation(loc: EdifactLocation): string {
  const parts: string[] = [];
  if (loc.interchangeRef !== undefined) parts.push(`interchange ${loc.interchangeRef}`);
  if (loc.groupRef !== undefined) parts.push(`group ${loc.groupRef}`);
  if (loc.messageRef !== undefined) parts.push(`message ${loc.messageRef}`);
  if (loc.segmentPosition !== undefined) parts.push(`segment ${loc.segmentPosition}${loc.tag ? ` (${loc.tag})` : ''}`);
  else if (loc.tag) parts.push(`segment ${loc.tag}`);
  if (loc.elementPosition !== undefined) parts.push(`element ${loc.elementPosition}`);
  if (loc.repetition !== undefined && loc.repetition > 1) parts.push(`repetition ${loc.repetition}`);
  if (loc.componentPosition !== undefined) parts.push(`component ${loc.componentPosition}`);
  if (loc.line !== undefined) parts.push(`line ${loc.line}`);
  if (loc.byteOffset !== undefined) parts.push(`byte ${loc.byteOffset}`);
  return parts.join(', ');
}

export function makeIssue(
  code: string,
  severity: EdifactIssue['severity'],
  message: string,
  location: EdifactLocation,
  syntaxError?: SyntaxErrorCode,
): EdifactIssue {
  const where = describeLocation(location);
  const issue: EdifactIssue = { code, severity, message: where ? `${message} at ${where}` : message, location };
  if (syntaxError !== undefined) issue.syntaxError = syntaxError;
  return issue;
}

/** The issue as a thrown error, keeping its location and 0085 code in the details. */
export function issueToError(issue: EdifactIssue, factory = EdifactErrors.syntax): CrossdockError {
  return factory(issue.message, { ...issue.location, syntaxError: issue.syntaxError, issueCode: issue.code });
}
