import { defineError } from '../../kernel/index.js';

export const BatchErrors = {
  header: defineError('CD_ERR_BATCH_HEADER', { class: 'permanent', title: 'The file header lacks a required column' }),
  recordTooLarge: defineError('CD_ERR_BATCH_RECORD_TOO_LARGE', { class: 'permanent', title: 'A CSV record exceeds the size limit' }),
  fileChanged: defineError('CD_ERR_BATCH_FILE_CHANGED', {
    class: 'permanent',
    title: 'The file differs from the one the interrupted load started on',
  }),
  concurrent: defineError('CD_ERR_BATCH_CONCURRENT', { class: 'retryable', title: 'Another run is applying the same load' }),
  config: defineError('CD_ERR_BATCH_CONFIG', { class: 'permanent', title: 'Batch load configuration invalid' }),
} as const;
