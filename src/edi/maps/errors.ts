import { defineError } from '../../kernel/index.js';

export const MapErrors = {
  /** The document cannot become a valid canonical object (or the object cannot become the document). */
  mapping: defineError('CD_ERR_EDI_MAPPING', { class: 'permanent', title: 'EDI document does not map to canonical' }),
  /** No map for a transaction set / message and version, or for a canonical object going out. */
  noMap: defineError('CD_ERR_EDI_NO_MAP', { class: 'permanent', title: 'No EDI map for this document' }),
  /** A partner's map override names a field or source the map does not have. */
  override: defineError('CD_ERR_EDI_MAP_OVERRIDE', { class: 'permanent', title: 'Invalid map override' }),
} as const;
