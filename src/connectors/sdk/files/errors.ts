import { defineError } from '../../../kernel/index.js';

/** Errors of file transports beyond the shared ConnectorErrors (network, timeout, auth, not found). */
export const FileErrors = {
  hostKey: defineError('CD_ERR_FILE_HOST_KEY', {
    class: 'permanent',
    title: 'The server presented a host key other than the configured fingerprint',
  }),
  tooLarge: defineError('CD_ERR_FILE_TOO_LARGE', { class: 'permanent', title: 'The file is larger than the configured limit' }),
  config: defineError('CD_ERR_FILE_CONFIG', { class: 'permanent', title: 'File transport configuration invalid' }),
} as const;
