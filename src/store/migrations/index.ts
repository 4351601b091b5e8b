import type { Migration } from '../migration.js';
import { m0001EventLog } from './0001-eventlog.js';
import { m0010Connectors } from './0010-connectors.js';

/** Every migration, in order. Append only. */
export const migrations: readonly Migration[] = [m0001EventLog, m0010Connectors];
