import type { Migration } from '../migration.js';
import { m0001EventLog } from './0001-eventlog.js';
import { m0002JetStreamEventLog } from './0002-jetstream-eventlog.js';
import { m0010Connectors } from './0010-connectors.js';
import { m0011Files } from './0011-files.js';
import { m0012Workflow } from './0012-workflow.js';
import { m0013Availability } from './0013-availability.js';
import { m0014Exceptions } from './0014-exceptions.js';
import { m0015Gateway } from './0015-gateway.js';
import { m0016Edi } from './0016-edi.js';
import { m0017Observability } from './0017-observability.js';
import { m0018Documents } from './0018-documents.js';
import { m0019FlowsMasterdata } from './0019-flows-masterdata.js';
import { m0020SharedBudgets } from './0020-shared-budgets.js';
import { m0022WebhooksAudit } from './0022-webhooks-audit.js';
import { m0023WorkflowDueIndex } from './0023-workflow-due-index.js';

/** Every migration, applied in id order (see migration.ts). Append only. */
export const migrations: readonly Migration[] = [
  m0001EventLog,
  m0002JetStreamEventLog,
  m0010Connectors,
  m0011Files,
  m0012Workflow,
  m0013Availability,
  m0014Exceptions,
  m0015Gateway,
  m0016Edi,
  m0017Observability,
  m0018Documents,
  m0019FlowsMasterdata,
  m0020SharedBudgets,
  m0022WebhooksAudit,
  m0023WorkflowDueIndex,
];
