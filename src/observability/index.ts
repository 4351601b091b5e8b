export * from './audit/index.js';
// The audit log (src/observability/audit) belongs to the webhooks-audit module; re-exported here as before.
export * from './audit/index.js';
export {
  Duration,
  EntityKind,
  ObservabilityConfig,
  parseObservabilityConfig,
  SlaRule,
} from './config.js';
export { type Dashboard, DIMENSIONS, type Dimension, readDashboard, type Series, sampleLag } from './dashboard.js';
export {
  type ConnectorHealth,
  type EdiInterchangeView,
  type PartnerHealth,
  readConnectorHealth,
  readEdiInterchanges,
  readPartnerHealth,
} from './health.js';
export { createMetrics, type HubMetrics } from './metrics.js';
export { breachCategory, breachKey, SlaClocks, type SlaClockView } from './sla/sla-clocks.js';
export { extractMilestones, MILESTONE_EVENT_TYPES, MilestoneRecordedEvent, systemOf } from './timelines/milestones.js';
export { type MilestoneView, type RecordedMilestone, type SearchHit, TimelineService, type TimelineView } from './timelines/timelines.js';
export { activeContext, formatTraceparent, parseTraceparent } from './tracing/context.js';
export { createTracing, type Tracing, type TracingOptions } from './tracing/tracing.js';
