import { defineError } from '../../kernel/index.js';

export const PartnerErrors = {
  invalid: defineError('CD_ERR_EDI_PARTNER_INVALID', { class: 'permanent', title: 'Invalid trading partner profile' }),
  unknown: defineError('CD_ERR_EDI_PARTNER_UNKNOWN', { class: 'permanent', title: 'No trading partner for this interchange' }),
  document: defineError('CD_ERR_EDI_DOCUMENT_NOT_AGREED', { class: 'permanent', title: 'Document not agreed with this partner' }),
} as const;
