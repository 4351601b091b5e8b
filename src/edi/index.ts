/**
 * EDI: X12 and EDIFACT codecs, maps to and from canonical objects, trading partner profiles,
 * store-backed envelope services, acknowledgement reconciliation, and the SFTP inbox/outbound.
 * See docs/edi.md (and docs/edi-x12.md, docs/edi-edifact.md for the codecs).
 */
export * as edifact from './edifact/index.js';
export type { MapIssue } from './maps/index.js';
export {
  applyOverrides,
  type Binding,
  BUILTIN_MAPS,
  buildEdifactInterchange,
  buildX12Interchange,
  builtinMaps,
  type CanonicalDocument,
  defineEdiMap,
  type EdifactEnvelopeSettings,
  type EdiMap,
  type MapContext,
  MapErrors,
  type MapNode,
  MapOverride,
  MapRegistry,
  mapFields,
  type Standard,
  type TranslateOptions,
  type Translation,
  translateBody,
  translateEdifact,
  translateX12,
  writeBody,
  type X12Controls,
  type X12EnvelopeSettings,
} from './maps/index.js';
export {
  ACK_OVERDUE,
  AckLedger,
  type AckOutcome,
  type AckStatus,
  type ControlLevel,
  ControlNumberErrors,
  DocumentAgreement,
  loadPartnerProfiles,
  loadPartnerProfilesFrom,
  overdueKey,
  PartnerDirectory,
  PartnerErrors,
  PartnerProfile,
  type PartnerProfileInput,
  PartyId,
  parsePartnerProfiles,
  type SentDocument,
  StoreControlNumbers,
  StoreSeenInterchanges,
} from './partners/index.js';
export { EdiRuntime, type EdiRuntimeOptions, INBOUND_EVENTS, inboundEvents } from './runtime/index.js';
export {
  type DeliveredDocuments,
  type EdifactReceipt,
  EdiInbox,
  type EdiInboxOptions,
  EdiOutbound,
  EdiOutbox,
  InboxErrors,
  type OutboundResult,
  type OutboxFile,
  receiveEdifact,
  receiveX12,
  sniffStandard,
  type X12Receipt,
} from './transport/index.js';
export * as x12 from './x12/index.js';
