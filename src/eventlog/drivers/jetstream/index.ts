export { type ConnectJetStreamOptions, connectJetStream } from './connect.js';
export { JetStreamErrors } from './errors.js';
export { JetStreamEventLog, type JetStreamEventLogOptions } from './jetstream-eventlog.js';
export { type OpenJetStreamEventLogOptions, openJetStreamEventLog } from './open.js';
export type { RelayHooks } from './relay.js';
export { type JetStreamSettings, type JetStreamSettingsInput, jetStreamSettingsSchema } from './settings.js';
