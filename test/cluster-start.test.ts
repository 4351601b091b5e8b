import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_POSTGRES_URL } from '../src/store/testing/postgres.js';
import { runCli, startCliHub } from './support/cli.js';

const schema = `cd_cli_${process.pid}_${Math.random().toString(36).slice(2, 7)}`;
const storeUrl = `${TEST_POSTGRES_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
const keys = {
  CROSSDOCK_TOKEN_KEY: randomBytes(32).toString('base64'),
  CROSSDOCK_MASTER_KEYS: `k1:${randomBytes(32).toString('base64')}`,
};

beforeAll(async () => {
  const c = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await c.connect();
  await c.query(`create schema ${schema}`);
  await c.end();
});
afterAll(async () => {
  const c = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await c.connect();
  await c.query(`drop schema if exists ${schema} cascade`);
  await c.end();
});

describe('crossdock start in cluster mode', () => {
  it('runs on PostgreSQL and NATS JetStream', async () => {
    const hub = await startCliHub(
      ['--store', storeUrl, '--bus', 'nats://127.0.0.1:4222', '--port', '0', '--data', mkdtempSync(join(tmpdir(), 'cd-'))],
      {
        env: { ...keys, CROSSDOCK_PARTITIONS: '2' },
      },
    );
    try {
      expect((await fetch(`${hub.url}/ready`)).status).toBe(200);
      expect(hub.output().stdout).toContain('postgres://');
      expect(hub.output().stdout).not.toMatch(/:[^@/]+@127/);
    } finally {
      hub.child.kill('SIGTERM');
      expect(await hub.exited).toBe(0);
    }
  });

  it('says clearly which server is unreachable, after its retries', () => {
    const r = runCli(['start', '--store', storeUrl, '--bus', 'nats://127.0.0.1:1', '--port', '0'], {
      env: { ...keys, CROSSDOCK_STARTUP_RETRIES: '1' },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/CD_ERR_BUS_UNAVAILABLE.*127\.0\.0\.1:1/);
  });

  it('refuses a cluster without shared keys, and the JetStream bus on SQLite', () => {
    const noKeys = runCli(['start', '--store', storeUrl, '--bus', 'nats://127.0.0.1:4222', '--port', '0']);
    expect(noKeys.code).toBe(1);
    expect(noKeys.stderr).toContain('CROSSDOCK_TOKEN_KEY');
    const sqlite = runCli(['start', '--bus', 'nats://127.0.0.1:4222', '--port', '0', '--data', mkdtempSync(join(tmpdir(), 'cd-'))]);
    expect(sqlite.code).toBe(1);
    expect(sqlite.stderr).toContain('PostgreSQL');
  });
});
