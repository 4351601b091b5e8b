/** Trading partner profiles and the store-backed envelope services: control numbers, interchanges seen, acknowledgement ledger. */
export * from './ack-ledger.js';
export * from './control-numbers.store.js';
export * from './directory.js';
export * from './errors.js';
export * from './load.js';
export * from './profile.js';
export * from './seen-interchanges.store.js';
