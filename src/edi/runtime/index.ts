/** What a hub runs for its trading partners: the runtime (polling, overdue check) and the events it publishes. */
export * from './edi-runtime.js';
export * from './events.js';
