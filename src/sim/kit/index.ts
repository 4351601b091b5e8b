export { applyFaultControl, faultControlSchema } from './fault-control.js';
export { type Fault, type FaultMatcher, FaultPlan, type SimServer } from './faults.js';
export { header, parseJsonBody, type SimHandler, type SimRequest, type SimResponse, startHttpSim } from './http-sim.js';
export { TokenBucket } from './token-bucket.js';
export { type DeliveryAttempt, type OutboundWebhook, WebhookDispatcher } from './webhook-dispatcher.js';
export { startWebhookSink, type WebhookSink } from './webhook-sink.js';
