import { join, resolve } from 'node:path';
import { PostgresStore } from './drivers/postgres.js';
import { SqliteStore } from './drivers/sqlite.js';
import type { Store } from './store.js';

/**
 * Opens the store named in config: `sqlite` (crossdock.db in the data directory),
 * `sqlite:<file>`, or a `postgres://` URL.
 */
export function openStore(spec: string, dataDir: string): Store {
  if (spec === 'sqlite') return SqliteStore.open({ file: join(resolve(dataDir), 'crossdock.db') });
  if (spec.startsWith('sqlite:')) return SqliteStore.open({ file: resolve(spec.slice('sqlite:'.length)) });
  if (/^postgres(ql)?:\/\//.test(spec)) return new PostgresStore({ url: spec });
  throw new Error(`unknown store ${spec}`);
}
