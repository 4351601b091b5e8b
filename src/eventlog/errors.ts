import { defineError } from '../kernel/index.js';

export const EventLogErrors = {
  badRequest: defineError('CD_ERR_EVENTLOG_BAD_REQUEST', { class: 'permanent', title: 'Invalid event log request' }),
  unknownTopic: defineError('CD_ERR_EVENTLOG_UNKNOWN_TOPIC', { class: 'permanent', title: 'Unknown topic' }),
  eventExpired: defineError('CD_ERR_EVENTLOG_EVENT_EXPIRED', { class: 'permanent', title: 'Event no longer retained' }),
  drainTimeout: defineError('CD_ERR_EVENTLOG_DRAIN_TIMEOUT', { class: 'retryable', title: 'Event log did not drain in time' }),
} as const;
