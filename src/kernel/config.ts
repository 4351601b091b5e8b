import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { Errors } from './errors.js';

/**
 * The hub's configuration: a YAML file (crossdock.config.yaml by default) overlaid by CROSSDOCK_*
 * environment variables, overlaid by command-line flags. Validated once at start-up; a bad value
 * is reported with its key, what was expected and where it came from.
 */
const retrySchema = z
  .object({
    maxAttempts: z.number().int().min(1).max(100).default(8),
    baseMs: z.number().int().min(1).default(250),
    maxMs: z.number().int().min(1).default(60_000),
  })
  .strict();

export const configSchema = z
  .object({
    dataDir: z.string().min(1).default('./data'),
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(0).max(65_535).default(7070),
    /** `sqlite` (a file in dataDir) or a `postgres://` URL. */
    store: z
      .string()
      .regex(/^(sqlite|sqlite:.+|postgres(ql)?:\/\/.+)$/, 'expected "sqlite", "sqlite:<file>" or a postgres:// URL')
      .default('sqlite'),
    /** `embedded` (the store's own event log) or a `nats://` URL. */
    bus: z
      .string()
      .regex(/^(embedded|nats:\/\/.+)$/, 'expected "embedded" or a nats:// URL')
      .default('embedded'),
    log: z
      .object({
        level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
      })
      .strict()
      .default({ level: 'info' }),
    eventlog: z
      .object({
        defaultPartitions: z.number().int().min(1).max(1024).default(8),
        topics: z.record(z.string(), z.object({ partitions: z.number().int().min(1).max(1024) }).strict()).default({}),
        retry: retrySchema.default({ maxAttempts: 8, baseMs: 250, maxMs: 60_000 }),
        batchSize: z.number().int().min(1).max(10_000).default(256),
        pollIntervalMs: z.number().int().min(1).max(60_000).default(250),
        /** JetStream settings of the cluster bus (replicas, duplicate window, leases…); see docs/deploy.md. */
        cluster: z.record(z.string(), z.unknown()).default({}),
        /** Connection attempts to PostgreSQL and NATS at start-up before giving up. */
        startupRetries: z.number().int().min(0).max(1000).default(10),
      })
      .strict()
      .default({
        defaultPartitions: 8,
        topics: {},
        retry: { maxAttempts: 8, baseMs: 250, maxMs: 60_000 },
        batchSize: 256,
        pollIntervalMs: 250,
        cluster: {},
        startupRetries: 10,
      }),
    security: z
      .object({
        /** base64 of 32+ bytes signing access tokens; every process of a cluster needs the same. */
        tokenKey: z.string().min(43, 'expected base64 of at least 32 bytes').optional(),
        /** `id:base64key[,id:base64key…]`: the first seals connector secrets, the others still open. */
        masterKeys: z.string().min(1).optional(),
      })
      .strict()
      .default({}),
    /** Tracing, timelines, SLA clocks and exception rules; validated by src/observability/config.ts. */
    observability: z.record(z.string(), z.unknown()).default({}),
    demo: z.boolean().default(false),
    shutdownTimeoutMs: z.number().int().min(0).default(10_000),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

/** Environment variables and the config key each one sets. */
export const ENV_KEYS: Record<string, { path: string[]; type: 'string' | 'number' | 'boolean' }> = {
  CROSSDOCK_DATA: { path: ['dataDir'], type: 'string' },
  CROSSDOCK_HOST: { path: ['host'], type: 'string' },
  CROSSDOCK_PORT: { path: ['port'], type: 'number' },
  CROSSDOCK_STORE: { path: ['store'], type: 'string' },
  CROSSDOCK_BUS: { path: ['bus'], type: 'string' },
  CROSSDOCK_LOG_LEVEL: { path: ['log', 'level'], type: 'string' },
  CROSSDOCK_PARTITIONS: { path: ['eventlog', 'defaultPartitions'], type: 'number' },
  CROSSDOCK_STARTUP_RETRIES: { path: ['eventlog', 'startupRetries'], type: 'number' },
  CROSSDOCK_DEMO: { path: ['demo'], type: 'boolean' },
  CROSSDOCK_OTLP_ENDPOINT: { path: ['observability', 'tracing', 'otlpEndpoint'], type: 'string' },
  CROSSDOCK_TOKEN_KEY: { path: ['security', 'tokenKey'], type: 'string' },
  CROSSDOCK_MASTER_KEYS: { path: ['security', 'masterKeys'], type: 'string' },
};

export const DEFAULT_CONFIG_FILE = 'crossdock.config.yaml';

type Source = { kind: 'file'; file: string } | { kind: 'env'; name: string } | { kind: 'flag' };

export interface LoadConfigOptions {
  /** Path of the YAML file; when omitted, crossdock.config.yaml in cwd is read if it exists. */
  file?: string;
  env?: Record<string, string | undefined>;
  /** Values from command-line flags, highest precedence. */
  overrides?: Record<string, unknown>;
  cwd?: string;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  const last = path.at(-1);
  if (last !== undefined) node[last] = value;
}

function coerceEnv(name: string, raw: string, type: 'string' | 'number' | 'boolean'): unknown {
  if (type === 'string') return raw;
  if (type === 'number') {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n)) {
      throw Errors.config(`environment variable ${name}: expected a number, got "${raw}"`, { path: name });
    }
    return n;
  }
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw Errors.config(`environment variable ${name}: expected true or false, got "${raw}"`, { path: name });
}

function describeSource(source: Source | undefined): string {
  if (!source) return 'default';
  if (source.kind === 'file') return source.file;
  if (source.kind === 'env') return `environment variable ${source.name}`;
  return 'command-line flag';
}

export function loadConfig(options: LoadConfigOptions = {}): Config {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const raw: Record<string, unknown> = {};
  const sources = new Map<string, Source>();

  const explicitFile = options.file ?? env.CROSSDOCK_CONFIG;
  const file = resolve(cwd, explicitFile ?? DEFAULT_CONFIG_FILE);
  if (explicitFile !== undefined && !existsSync(file)) {
    throw Errors.config(`config file ${file} does not exist`, { path: 'file' });
  }
  if (existsSync(file)) {
    let parsed: unknown;
    try {
      parsed = parseYaml(readFileSync(file, 'utf8'));
    } catch (err) {
      throw Errors.config(`config file ${file} is not valid YAML: ${(err as Error).message}`, { path: 'file' }, { cause: err });
    }
    if (parsed !== null && parsed !== undefined) {
      if (typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw Errors.config(`config file ${file} must hold a mapping of keys, not ${Array.isArray(parsed) ? 'a list' : typeof parsed}`);
      }
      Object.assign(raw, parsed);
      for (const key of Object.keys(parsed)) sources.set(key, { kind: 'file', file });
    }
  }
  for (const [name, spec] of Object.entries(ENV_KEYS)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    setPath(raw, spec.path, coerceEnv(name, value, spec.type));
    sources.set(spec.path.join('.'), { kind: 'env', name });
  }
  for (const [key, value] of Object.entries(options.overrides ?? {})) {
    if (value === undefined) continue;
    setPath(raw, key.split('.'), value);
    sources.set(key, { kind: 'flag' });
  }

  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const key = issue.path.map(String).join('.') || '(root)';
      const source = sources.get(key) ?? sources.get(String(issue.path[0] ?? ''));
      const unknownKeys = issue.code === 'unrecognized_keys' ? ` (unknown key: ${issue.keys.join(', ')})` : '';
      return `  ${key}: ${issue.message}${unknownKeys} [from ${describeSource(source)}]`;
    });
    const first = result.error.issues[0];
    throw Errors.config(`invalid configuration:\n${problems.join('\n')}`, {
      path: first ? first.path.map(String).join('.') : '',
      issues: result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
    });
  }
  return result.data;
}
