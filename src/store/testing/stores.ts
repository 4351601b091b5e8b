import { freshPostgresStore } from './postgres.js';
import { freshSqliteStore } from './sqlite.js';

/** Both drivers, for `describe.each(FRESH_STORES)('… on %s', (_name, open) => …)`: each `open()` is a new, empty store. */
export const FRESH_STORES = [
  ['sqlite', freshSqliteStore],
  ['postgres', freshPostgresStore],
] as const;
