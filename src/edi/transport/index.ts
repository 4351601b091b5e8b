/** Receiving and sending partner files: X12 and EDIFACT receipt, the inbox poller, the outbound path and outbox. */
export * from './inbox.js';
export * from './outbound.js';
export * from './outbox.js';
export * from './receive-edifact.js';
export * from './receive-x12.js';
export * from './sniff.js';
