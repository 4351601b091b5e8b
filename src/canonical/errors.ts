import { defineError } from '../kernel/index.js';

export const CanonicalErrors = {
  unknownSchema: defineError('CD_ERR_UNKNOWN_SCHEMA', { class: 'permanent', title: 'Unknown canonical schema id' }),
} as const;
