import { defineError } from '../../kernel/index.js';

export const P2pErrors = {
  ackOverdue: defineError('CD_ERR_P2P_ACK_OVERDUE', { class: 'business', title: 'The supplier did not acknowledge the PO in time' }),
  rejected: defineError('CD_ERR_P2P_PO_REJECTED', { class: 'business', title: 'The supplier rejected every line of the PO' }),
  asnOverdue: defineError('CD_ERR_P2P_ASN_OVERDUE', { class: 'business', title: 'The supplier did not ship in time' }),
  supplier: defineError('CD_ERR_P2P_SUPPLIER', { class: 'permanent', title: 'The supplier refused the request' }),
  supplierUnavailable: defineError('CD_ERR_P2P_SUPPLIER_UNAVAILABLE', { class: 'retryable', title: 'The supplier could not be reached' }),
  badDocument: defineError('CD_ERR_P2P_BAD_DOCUMENT', { class: 'permanent', title: 'A supplier document could not be read' }),
} as const;

/** Failures the flow raises itself (each already opened its own exception). */
export const OWN_FAILURES: ReadonlySet<string> = new Set([P2pErrors.ackOverdue.code, P2pErrors.rejected.code, P2pErrors.asnOverdue.code]);
