import { defineError } from '../../kernel/index.js';

/** Errors of the partner document store. */
export const DocumentErrors = {
  notFound: defineError('CD_ERR_DOCUMENT_NOT_FOUND', { class: 'permanent', title: 'No such document' }),
  duplicateNumber: defineError('CD_ERR_DOCUMENT_CONFLICT', {
    class: 'permanent',
    title: 'A document with this number already exists',
  }),
  changed: defineError('CD_ERR_PRECONDITION_FAILED', { class: 'permanent', title: 'The resource changed (ETag mismatch)' }),
  badCursor: defineError('CD_ERR_BAD_CURSOR', { class: 'permanent', title: 'The page cursor is not valid' }),
  notCancellable: defineError('CD_ERR_ORDER_NOT_CANCELLABLE', { class: 'business', title: 'The order can no longer be cancelled' }),
} as const;
