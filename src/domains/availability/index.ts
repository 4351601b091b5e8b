export type { LineReservation, ReserveLine, ReserveRequest, ReserveResult, SettleResult } from './allocation.js';
export { applyInventoryEvent, INVENTORY_EVENT_TYPES } from './apply-event.js';
export { computeAtp, type ExplainStep } from './atp.js';
export {
  Availability,
  type AvailabilityOptions,
  type AvailabilityQuery,
  type AvailabilityView,
  type ExceptionSink,
  type ItemAvailability,
  type LocationAvailability,
  type PromiseRequest,
} from './availability.js';
export { deliveryDate, localTime, shipDate } from './calendar.js';
export { AvailabilityErrors } from './errors.js';
export { availabilityEventTypes, type InventoryMovement, InventoryMovementData, InventoryMovementEvent } from './events.js';
export type { ExceptionInput } from './ledger.js';
export {
  AvailabilityConfig,
  type AvailabilityConfigInput,
  ChannelPolicy,
  CustomerPolicy,
  loadPolicies,
  Policies,
  PublishPolicy,
  RingFence,
  SafetyBuffer,
  type ShipTo,
} from './policy.js';
export type { InTransitLot, LotQuantity, PositionChange, PositionState } from './position.js';
export type { PromiseLine, PromiseResult, PromiseSource } from './promise.js';
export {
  AvailabilityPublisher,
  type AvailabilityUpdate,
  type ChannelSink,
  type PublisherOptions,
  type ResyncProgress,
  renderProgressLine,
} from './publisher.js';
export { MAX_ITEMS } from './validate.js';
