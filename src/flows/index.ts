/** The flows (ARCHITECTURE §6): other modules enter src/flows through this file only. */
export * from './order-to-cash/index.js';
export * from './procure-to-pay/index.js';
export * from './replenishment/index.js';
export * from './return-to-credit/index.js';
export * from './shared/index.js';
