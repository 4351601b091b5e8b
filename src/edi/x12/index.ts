/** X12 codec: streaming tokenizer, document tree, serializer, envelope and transaction validation, TA1/997/999. */
export { acknowledge, buildAckInterchange, buildFunctionalAck, buildTa1, type FunctionalAckKind, transactionAccepted } from './ack.js';
export { AK3_CODES, AK4_CODES, AK5_CODES, AK5_STATUS, AK9_CODES, AK9_STATUS, TA1_NOTE, TA1_STATUS } from './ack-codes.js';
export {
  type AckElementNote,
  type AckSegmentNote,
  type AckTransactionResponse,
  type FunctionalAckResult,
  parseFunctionalAck,
  parseTa1,
  readAcknowledgements,
  type Ta1Result,
} from './ack-parse.js';
export {
  type ControlNumberAllocator,
  type ControlNumberKind,
  formatControlNumber,
  InMemoryControlNumberAllocator,
  MAX_CONTROL_NUMBER,
} from './control-numbers.js';
export {
  documentSegments,
  parseX12,
  type X12Document,
  X12DocumentBuilder,
  type X12FunctionalGroup,
  type X12Interchange,
  type X12TransactionSet,
} from './document.js';
export {
  checkDuplicateInterchange,
  InMemorySeenInterchanges,
  type InterchangeIdentity,
  interchangeKey,
  type SeenInterchangeStore,
} from './duplicates.js';
export {
  allIssues,
  isX12Date,
  isX12Time,
  validateX12Document,
  X12EnvelopeValidator,
  type X12GroupResult,
  type X12InterchangeResult,
  type X12TransactionChecker,
  type X12TransactionCheckerFactory,
  type X12TransactionResult,
  type X12ValidationResult,
  type X12ValidatorOptions,
} from './envelope.js';
export { describeLocation, X12Errors, type X12Location, X12Warnings } from './errors.js';
export { isError, issueToError, type X12Issue, type X12IssueLevel } from './issues.js';
export {
  DEFAULT_DELIMITERS,
  elementValue,
  simple,
  type X12Delimiters,
  type X12Element,
  type X12Position,
  type X12Segment,
} from './segment.js';
export { serializeSegment, serializeX12, type X12SegmentLike, type X12SerializeOptions } from './serialize.js';
export {
  composite,
  defineSegments,
  defineTransactionSpec,
  el,
  loop,
  type SegmentSpec,
  type SpecNode,
  seg,
  type TransactionSpec,
} from './spec-format.js';
export { BUILTIN_SPECS, FUNCTIONAL_ID_CODES, SEGMENTS } from './specs/index.js';
export { streamX12, streamX12Batches, type X12Source, type X12StreamOptions } from './stream.js';
export { type SyntheticOptions, syntheticInterchange } from './synthetic.js';
export { type X12Envelope, type X12InterchangeInfo, type X12Sink, X12Tokenizer, type X12TokenizerOptions } from './tokenizer.js';
export { findTransactionSpec, SpecTransactionChecker, specChecker, type X12SpecRegistry } from './transaction-validator.js';
export { parseAndValidateX12 } from './validate.js';
