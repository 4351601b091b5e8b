export { createGateway, type GatewayOptions, type HubStatus } from './app.js';
export type { GatewayApp } from './types.js';
