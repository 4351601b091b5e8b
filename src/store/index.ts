export { PostgresStore, type PostgresStoreOptions } from './drivers/postgres.js';
export { PostgresLeaderElection, type PostgresLeaderOptions, runAsLeader } from './drivers/postgres-leader.js';
export { SqliteStore, type SqliteStoreOptions } from './drivers/sqlite.js';
export { type LeaderElection, type LeaderHandle, type LeaderJob, LocalLeaderElection } from './leader.js';
export type { Dialect, Migration, MigrationResult } from './migration.js';
export { migrations } from './migrations/index.js';
export { openStore } from './open.js';
export type * from './schema.js';
export type { SqlValue, Store, StoreStats, Tx } from './store.js';
