export { createMetrics, type HubMetrics } from './metrics.js';
