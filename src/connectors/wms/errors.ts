import { defineError } from '../../kernel/index.js';

/** Outcomes of the 3PL that a flow branches on, and its own failure modes. */
export const WmsErrors = {
  alreadyShipped: defineError('CD_ERR_WMS_ALREADY_SHIPPED', {
    class: 'business',
    title: 'The warehouse already shipped the order; it can no longer be cancelled',
  }),
  insufficientInventory: defineError('CD_ERR_WMS_INSUFFICIENT_INVENTORY', {
    class: 'business',
    title: 'The adjustment would take on-hand stock below zero',
  }),
  snapshotExpired: defineError('CD_ERR_WMS_SNAPSHOT_EXPIRED', {
    class: 'permanent',
    title: 'The inventory snapshot expired while it was being read',
  }),
} as const;
