import { defineError } from '../../kernel/index.js';

/** Errors raised by connectors and their transport. The class decides retry, park or branch. */
export const ConnectorErrors = {
  network: defineError('CD_ERR_CONNECTOR_NETWORK', { class: 'retryable', title: 'Network error reaching the system' }),
  timeout: defineError('CD_ERR_CONNECTOR_TIMEOUT', { class: 'retryable', title: 'The system did not answer in time' }),
  rateLimited: defineError('CD_ERR_CONNECTOR_RATE_LIMITED', { class: 'retryable', title: 'Rate limited by the system' }),
  unavailable: defineError('CD_ERR_CONNECTOR_UNAVAILABLE', { class: 'retryable', title: 'The system answered with a server error' }),
  circuitOpen: defineError('CD_ERR_CONNECTOR_CIRCUIT_OPEN', {
    class: 'retryable',
    title: 'Calls to the system are paused after repeated failures',
  }),
  auth: defineError('CD_ERR_CONNECTOR_AUTH', { class: 'permanent', title: 'The system refused our credentials' }),
  rejected: defineError('CD_ERR_CONNECTOR_REJECTED', { class: 'permanent', title: 'The system rejected the request' }),
  notFound: defineError('CD_ERR_CONNECTOR_NOT_FOUND', { class: 'permanent', title: 'The record does not exist in the system' }),
  conflict: defineError('CD_ERR_CONNECTOR_CONFLICT', { class: 'permanent', title: 'The system reports a conflicting record' }),
  mapping: defineError('CD_ERR_CONNECTOR_MAPPING', { class: 'permanent', title: 'A payload could not be mapped' }),
  credentials: defineError('CD_ERR_CONNECTOR_CREDENTIALS', { class: 'permanent', title: 'Credentials missing or invalid' }),
  signature: defineError('CD_ERR_CONNECTOR_SIGNATURE', { class: 'permanent', title: 'Webhook signature invalid' }),
  budgetExceeded: defineError('CD_ERR_CONNECTOR_BUDGET', { class: 'permanent', title: 'Request costs more than the budget can ever hold' }),
} as const;
