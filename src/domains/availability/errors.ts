import { defineError } from '../../kernel/index.js';

export const AvailabilityErrors = {
  /** Reservation could not be met; a flow branches on it (backorder, split, reject). */
  insufficient: defineError('CD_ERR_AVAILABILITY_INSUFFICIENT', { class: 'business', title: 'Not enough available stock' }),
  lineConflict: defineError('CD_ERR_AVAILABILITY_LINE_CONFLICT', {
    class: 'permanent',
    title: 'The order line was already reserved with another item or quantity',
  }),
  policy: defineError('CD_ERR_AVAILABILITY_POLICY', { class: 'permanent', title: 'Invalid availability policy' }),
  badEvent: defineError('CD_ERR_AVAILABILITY_BAD_EVENT', { class: 'permanent', title: 'Inventory event cannot be applied' }),
} as const;
