export {
  type ConnectJetStreamOptions,
  connectJetStream,
  JetStreamErrors,
  JetStreamEventLog,
  type JetStreamEventLogOptions,
  type JetStreamSettings,
  type JetStreamSettingsInput,
  jetStreamSettingsSchema,
  type OpenJetStreamEventLogOptions,
  openJetStreamEventLog,
  type RelayHooks,
} from './drivers/jetstream/index.js';
export { EventLogErrors } from './errors.js';
export type * from './eventlog.js';
export { partitionFor } from './partition.js';
export { SqlEventLog, type SqlEventLogOptions } from './sql-eventlog.js';
