export {
  type DeliveryAttempt,
  type DeliveryQuery,
  DeliveryStatus,
  deliveryView,
  WebhookDeliveries,
  type WebhookDelivery,
} from './deliveries.js';
export { WebhookErrors } from './errors.js';
export { defaultEventOwner, type EventOwner, webhookFanOut } from './fan-out.js';
export { type WebhookRouteDeps, webhookRoutes } from './routes.js';
export { plainSealer, type SecretSealer } from './sealer.js';
export {
  computeSignature,
  DEFAULT_TOLERANCE_SECONDS,
  SIGNATURE_HEADER,
  type SignatureCheck,
  signatureHeader,
  verifySignature,
} from './signature.js';
export {
  EventTypeFilter,
  SECRET_OVERLAP_MS,
  SubscriptionInput,
  SubscriptionPatch,
  type WebhookSubscription,
  WebhookSubscriptions,
} from './subscriptions.js';
export { DEFAULT_DELIVERY_POLICY, type DeliveryFacts, type DeliveryPolicy, WebhookWorker, type WebhookWorkerOptions } from './worker.js';
