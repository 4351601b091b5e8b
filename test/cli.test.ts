import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqlEventLog } from '../src/eventlog/index.js';
import { happened, testCatalog } from '../src/eventlog/testing/events.js';
import { defineError, silentLogger } from '../src/kernel/index.js';
import { SqliteStore } from '../src/store/index.js';
import { runCli, startCliHub } from './support/cli.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'crossdock-cli-'));
}

describe('crossdock start', () => {
  it('serves health, readiness and metrics, and stops cleanly on SIGTERM', async () => {
    const data = tempDir();
    const hub = await startCliHub(['--data', data, '--port', '0']);
    cleanups.push(() => hub.child.kill('SIGKILL'));
    const health = await fetch(`${hub.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const ready = await fetch(`${hub.url}/ready`);
    expect(await ready.json()).toEqual({ status: 'ready' });
    const metrics = await (await fetch(`${hub.url}/metrics`)).text();
    expect(metrics).toContain('# TYPE crossdock_eventlog_consumer_lag gauge');
    expect(metrics).toContain('crossdock_process_cpu_seconds_total');
    // A started hub has committed its setup: the store's counters are above zero.
    const committed = /^crossdock_store_transactions_total (\d+)$/m.exec(metrics);
    expect(Number(committed?.[1])).toBeGreaterThan(0);
    expect(metrics).toMatch(/^crossdock_store_commits_total \d+$/m);
    expect(existsSync(join(data, 'hub.lock'))).toBe(true);
    hub.child.kill('SIGTERM');
    expect(await hub.exited).toBe(0);
    expect(existsSync(join(data, 'hub.lock'))).toBe(false);
    expect(existsSync(join(data, 'crossdock.db'))).toBe(true);
  });

  it('refuses a second hub on the same data directory', async () => {
    const data = tempDir();
    const hub = await startCliHub(['--data', data, '--port', '0']);
    cleanups.push(() => hub.child.kill('SIGKILL'));
    const second = runCli(['start', '--data', data, '--port', '0']);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('CD_ERR_DATA_DIR_IN_USE');
    hub.child.kill('SIGTERM');
    await hub.exited;
  });

  it('takes over the lock of a hub that was killed', async () => {
    const data = tempDir();
    const hub = await startCliHub(['--data', data, '--port', '0']);
    hub.child.kill('SIGKILL');
    await hub.exited;
    const again = await startCliHub(['--data', data, '--port', '0']);
    cleanups.push(() => again.child.kill('SIGKILL'));
    expect((await fetch(`${again.url}/health`)).status).toBe(200);
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  });

  it('reports a corrupt database clearly and leaves the file as it was', () => {
    const data = tempDir();
    const file = join(data, 'crossdock.db');
    const junk = Buffer.alloc(8192, 7);
    writeFileSync(file, junk);
    const r = runCli(['start', '--data', data, '--port', '0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('CD_ERR_STORE_CORRUPT');
    expect(r.stderr).toContain(file);
    expect(readFileSync(file).equals(junk)).toBe(true);
    expect(existsSync(join(data, 'hub.lock'))).toBe(false);
  });

  it('names the bad key of a bad config file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'crossdock.config.yaml'), 'eventlog:\n  defaultPartitions: lots\n');
    const r = runCli(['start', '--port', '0'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('eventlog.defaultPartitions');
    const check = runCli(['config', 'check'], { cwd: dir });
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('eventlog.defaultPartitions');
  });

  it('exits 2 with help on a usage error', () => {
    const r = runCli(['events', 'replay']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--group');
  });
});

describe('operator commands', () => {
  const broken = defineError('CD_ERR_TEST_MAPPING', { class: 'permanent', title: 'Test: no mapping' });

  async function storeWithDeadLetter(data: string) {
    const store = SqliteStore.open({ file: join(data, 'crossdock.db') });
    await store.migrate();
    const log = new SqlEventLog({ store, catalog: testCatalog(), logger: silentLogger(), pollIntervalMs: 10, defaultPartitions: 2 });
    await log.publish('orders', [happened('SO-1', 0), happened('SO-2', 0), happened('SO-2', 1)]);
    log.subscribe({
      group: 'erp-sync',
      topic: 'orders',
      handler: async (event) => {
        if ((event.data as { key: string }).key === 'SO-1') throw broken('no ERP mapping for customer C9');
      },
    });
    await log.start();
    await log.drain();
    await log.stop();
    await store.close();
  }

  it('tail shows the newest events; replay rewinds a group; dlq list and redrive work on a live store file', async () => {
    const data = tempDir();
    await storeWithDeadLetter(data);

    const tail = runCli(['events', 'tail', '--data', data, '--topic', 'orders', '--limit', '2']);
    expect(tail.code).toBe(0);
    const lines = tail.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('crossdock.test.happened.v1');

    const json = runCli(['events', 'tail', '--data', data, '--topic', 'orders', '--json', '--key', 'SO-2']);
    const envelopes = json.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(envelopes.map((e) => e.data.seq)).toEqual([0, 1]);

    const list = runCli(['dlq', 'list', '--data', data]);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('erp-sync');
    expect(list.stdout).toContain('CD_ERR_TEST_MAPPING: no ERP mapping for customer C9');

    const refuse = runCli(['dlq', 'redrive', '--data', data]);
    expect(refuse.code).toBe(1);
    expect(refuse.stderr).toContain('--all');

    const redrive = runCli(['dlq', 'redrive', '--data', data, '--group', 'erp-sync']);
    expect(redrive.stdout).toContain('1 dead letter re-driven');
    expect(runCli(['dlq', 'list', '--data', data]).stdout).toContain('no dead letters');

    const replay = runCli([
      'events',
      'replay',
      '--data',
      data,
      '--group',
      'erp-sync',
      '--topic',
      'orders',
      '--from-time',
      '2000-01-01T00:00:00Z',
    ]);
    expect(replay.code).toBe(0);
    expect(replay.stdout).toContain('3 events will be delivered to erp-sync again');

    const badTime = runCli(['events', 'replay', '--data', data, '--group', 'g', '--topic', 'orders', '--from-time', 'yesterday']);
    expect(badTime.code).toBe(1);
    expect(badTime.stderr).toContain('--from-time');
  });
});

describe('crossdock schemas export', () => {
  it('writes a JSON Schema per canonical object and the envelope', () => {
    const out = join(tempDir(), 'schemas');
    const r = runCli(['schemas', 'export', out]);
    expect(r.code).toBe(0);
    const order = JSON.parse(readFileSync(join(out, 'salesorder.v1.schema.json'), 'utf8'));
    expect(order.$schema).toContain('2020-12');
    expect(r.stdout).toMatch(/^\d+ schemas written/);
    expect(existsSync(join(out, 'envelope.v1.schema.json'))).toBe(true);
  });
});
