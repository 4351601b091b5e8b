import type { Migration } from '../migration.js';
import { m0001EventLog } from './0001-eventlog.js';

/** Every migration, in order. Append only. */
export const migrations: readonly Migration[] = [m0001EventLog];
