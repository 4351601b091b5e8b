import type { Migration } from '../migration.js';
import { m0001EventLog } from './0001-eventlog.js';
import { m0002JetStreamEventLog } from './0002-jetstream-eventlog.js';
import { m0010Connectors } from './0010-connectors.js';
import { m0011Files } from './0011-files.js';
import { m0012Workflow } from './0012-workflow.js';
import { m0014Exceptions } from './0014-exceptions.js';
import { m0015Gateway } from './0015-gateway.js';
import { m0020SharedBudgets } from './0020-shared-budgets.js';

/** Every migration, in order. Append only. */
export const migrations: readonly Migration[] = [
  m0001EventLog,
  m0010Connectors,
  m0002JetStreamEventLog,
  m0011Files,
  m0012Workflow,
  m0014Exceptions,
  m0015Gateway,
  m0020SharedBudgets,
];
