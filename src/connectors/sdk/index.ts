export { type Binding, type BindingKey, Bindings, type IdempotentCreate } from './bindings.js';
export { type BreakerOptions, CircuitBreaker } from './breaker.js';
export {
  BucketBudget,
  type BudgetFeedback,
  BudgetRegistry,
  type BudgetSpec,
  ConcurrencyBudget,
  createBudget,
  type RateBudget,
  SharedWindowBudget,
} from './budget.js';
export { type CaptureRecord, type CaptureSink, MemoryCapture, redactBody, redactHeaders } from './capture.js';
export {
  type ConnectorContext,
  type ConnectorDeps,
  type ConnectorInstance,
  type ConnectorSpec,
  type CredentialsSpec,
  createConnectorInstance,
  defineConnector,
  defineCredentials,
  defineOperation,
  type OperationSpec,
  type PollingTrigger as PollingTriggerSpec,
  type TransportSpec,
  type WebhookTrigger,
} from './define.js';
export { ConnectorErrors } from './errors.js';
export * from './files/index.js';
export {
  type AuthApplier,
  type HttpRequest,
  type HttpResponse,
  HttpTransport,
  type HttpTransportOptions,
  parseRetryAfter,
  type ResponseClassifier,
} from './http.js';
export { collect, type Page, paginate } from './pagination.js';
export { PollingTrigger, type PollingTriggerOptions, type PollPage } from './polling.js';
export { CredentialVault, type MasterKey, parseMasterKeys, VaultErrors } from './vault.js';
export {
  type Delivery,
  type Headers,
  header,
  hmacSha256,
  safeEqual,
  type WebhookOutcome,
  WebhookReceiver,
  type WebhookSpec,
} from './webhooks.js';
