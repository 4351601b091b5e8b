export { decodeCursor, encodeCursor } from './cursor.js';
export {
  DocumentStore,
  etagOf,
  type ListQuery,
  type NewDocument,
  type Page,
  type StatusEntry,
  type StoredDocument,
} from './document-store.js';
export { DocumentErrors } from './errors.js';
export {
  DOCUMENT_KINDS,
  DOCUMENT_TOPICS,
  type DocumentKind,
  type DocumentTypes,
  documentKinds,
  type InventoryUpdate,
  InventoryUpdateRequest,
  InventoryUpdateV1,
  isDocumentKind,
} from './kinds.js';
export { applyOrderStatusEvent, ORDER_STATUS_EVENTS } from './order-status.js';
export { CANCELLABLE_STATUSES, matches, PartnerDocuments, type Submitter } from './partner-documents.js';
export {
  AcknowledgementCreateRequest,
  AsnCreateRequest,
  OrderCancelRequest,
  OrderCreateRequest,
  ReturnCreateRequest,
} from './requests.js';
