import { defineError } from '../../kernel/index.js';

/** Errors of the master-data cross-reference. */
export const MasterDataErrors = {
  conflict: defineError('CD_ERR_MASTERDATA_CONFLICT', {
    class: 'permanent',
    title: 'A system id is already bound to another canonical object',
  }),
  notOwner: defineError('CD_ERR_MASTERDATA_NOT_OWNER', {
    class: 'business',
    title: 'The writing system is not the system of record for this object kind',
  }),
  invalid: defineError('CD_ERR_MASTERDATA_INVALID', { class: 'permanent', title: 'Invalid master-data reference' }),
} as const;
