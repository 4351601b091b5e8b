/**
 * UN/EDIFACT codec: streaming parser, tree, serializer, envelope checks, message specs, CONTRL.
 * See docs/edi-edifact.md.
 */
export { type ByteDecoder, decoderFor, encodingFor, SUPPORTED_SYNTAX_IDENTIFIERS } from './charset.js';
export { type ContrlDeps, type ContrlOptions, type ContrlResult, contrlOptionsSchema, generateContrl } from './contrl.generate.js';
export {
  type ContrlErrorPointer,
  type ContrlGroupResponse,
  type ContrlMessageResponse,
  type ContrlOutcome,
  type ContrlReport,
  type ContrlSegmentError,
  contrlOutcome,
  parseContrl,
} from './contrl.parse.js';
export { type ControlNumberAllocator, type ControlScope, controlScopeSchema, InMemoryControlNumberAllocator } from './control-numbers.js';
export {
  assertEnvelope,
  EnvelopeValidator,
  InMemoryInterchangeRegistry,
  type InterchangeRegistry,
  interchangeKey,
  registerInterchange,
  validateEnvelope,
} from './envelope.js';
export { describeLocation, EdifactErrors, type EdifactIssue, type EdifactLocation, EdifactWarnings, issueToError } from './errors.js';
export { parseEdifact, parseEdifactFromStream, parseEdifactStream, streamEdifact } from './parse.js';
export { type EdifactEvent, EdifactStreamParser, type ParseOptions, parseOptionsSchema, splitSegment } from './parser.js';
export {
  componentAt,
  decimalAt,
  type EdifactSegment,
  locationOf,
  type NumericResult,
  parseNumeric,
  type SegmentPosition,
  valueAt,
} from './segment.js';
export { DEFAULT_SEPARATORS, formatUna, parseUna, type Separators, separatorsSchema } from './separators.js';
export {
  formatSegment,
  type SegmentData,
  type SerializeOptions,
  segment,
  serializeDocument,
  serializeInterchange,
  serializeOptionsSchema,
  serializeSegments,
} from './serializer.js';
export {
  C,
  type CompositeElementSpec,
  defineMessageSpec,
  G,
  M,
  type MessageSpec,
  messageSpecSchema,
  S,
  type SegmentSpec,
  type SimpleElementSpec,
  type StructureEntry,
} from './spec.format.js';
export { BUNDLED_MESSAGE_SPECS } from './spec.messages.js';
export { SEGMENTS_CONTRL_3, SEGMENTS_CONTRL_4, SEGMENTS_D01B, SEGMENTS_D96A } from './spec.segments.js';
export {
  MessageSpecRegistry,
  type SpecLookup,
  type ValidateOptions,
  validateMessage,
  validateMessageAuto,
  validateOptionsSchema,
} from './spec.validate.js';
export { Action, type ActionCode, SYNTAX_ERROR_TITLES, type SyntaxErrorCode, SyntaxErrors } from './syntax-codes.js';
export {
  type EdifactDocument,
  type EdifactGroup,
  type EdifactInterchange,
  type EdifactMessage,
  type EdifactParty,
  EdifactTreeBuilder,
  interchangeFromHeader,
  messageFromHeader,
} from './tree.js';
