export { EventLogErrors } from './errors.js';
export type * from './eventlog.js';
export { partitionFor } from './partition.js';
export { SqlEventLog, type SqlEventLogOptions } from './sql-eventlog.js';
