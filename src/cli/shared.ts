import type { Command } from 'commander';
import { EventCatalog } from '../canonical/index.js';
import { SqlEventLog } from '../eventlog/index.js';
import { type Config, CrossdockError, loadConfig, silentLogger } from '../kernel/index.js';
import { openStore, type Store } from '../store/index.js';

export interface CommonFlags {
  config?: string;
  data?: string;
  store?: string;
}

/** --config, --data and --store, accepted by every command that reads the store. */
export function withStoreFlags(cmd: Command): Command {
  return cmd
    .option('-c, --config <file>', 'config file (default: crossdock.config.yaml if present)')
    .option('-d, --data <dir>', 'data directory of an embedded hub (default: ./data)')
    .option('--store <url>', 'store: sqlite, sqlite:<file> or postgres://…');
}

export function configFrom(flags: CommonFlags, extra: Record<string, unknown> = {}): Config {
  return loadConfig({
    ...(flags.config !== undefined ? { file: flags.config } : {}),
    overrides: { dataDir: flags.data, store: flags.store, ...extra },
  });
}

/**
 * Opens the store and an event log that is not consuming, for operator commands. They run beside
 * a live hub: SQLite in WAL mode lets both work on the file.
 */
export async function openTools(config: Config): Promise<{ store: Store; eventlog: SqlEventLog; close: () => Promise<void> }> {
  const store = openStore(config.store, config.dataDir);
  await store.migrate();
  const eventlog = new SqlEventLog({ store, catalog: new EventCatalog(), logger: silentLogger() });
  return { store, eventlog, close: () => store.close() };
}

/** Prints an error as `error CODE: message` and sets a failing exit code. */
export function reportError(err: unknown): void {
  if (err instanceof CrossdockError) {
    process.stderr.write(`error ${err.code}: ${err.message}\n`);
    process.exitCode = 1;
    return;
  }
  process.stderr.write(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
}

export function parseIntFlag(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new CrossdockError('CD_ERR_VALIDATION', 'permanent', `--${name}: expected a whole number, got "${value}"`, { path: name });
  return n;
}

export function parseTimeFlag(name: string, value: string): number {
  const t = Date.parse(value);
  if (Number.isNaN(t)) {
    throw new CrossdockError(
      'CD_ERR_VALIDATION',
      'permanent',
      `--${name}: expected an ISO 8601 time such as 2026-11-22T08:00:00Z, got "${value}"`,
      {
        path: name,
      },
    );
  }
  return t;
}

/** A plain text table: columns padded to their widest cell. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
