import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { Availability } from '../../domains/availability/index.js';
import { movement, testConfig } from '../../domains/availability/testing/fixtures.js';
import { type ShopifySim, ShopifyStore, startShopifySim } from '../../sim/shopify/index.js';
import { SqliteStore } from '../../store/index.js';

const repoRoot = resolve(import.meta.dirname, '../../..');
const tsxLoader = import.meta.resolve('tsx');

/** Runs the CLI without blocking this process (the simulator it talks to lives here). */
function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', tsxLoader, resolve(repoRoot, 'src/cli/main.ts'), ...args], {
      cwd: repoRoot,
      env: { ...process.env, CROSSDOCK_LOG_LEVEL: 'warn', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += String(d);
    });
    child.stderr.on('data', (d) => {
      stderr += String(d);
    });
    child.on('exit', (code) => done({ code, stdout, stderr }));
  });
}

describe('crossdock availability resync', () => {
  let dir: string;
  let sim: ShopifySim;
  let file: string;
  const skus = Array.from({ length: 12 }, (_, i) => `RS-${String(i).padStart(2, '0')}`);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cd-av-cli-'));
    sim = await startShopifySim({ webhookRetryDelaysMs: [] });
    for (const sku of skus) sim.stock(sku, 999);
    const store = SqliteStore.open({ file: join(dir, 'crossdock.db') });
    await store.migrate();
    const av = await Availability.open({ store, policies: testConfig });
    for (const [i, sku] of skus.entries()) {
      await store.transaction((tx) => av.applyInventoryEvent(movement('receipt', sku, 'DAL', 10 + i), tx));
    }
    await store.close();
    file = join(dir, 'availability.yaml');
    writeFileSync(
      file,
      stringify({
        policy: { ...testConfig, channels: { ...testConfig.channels, web: { ...testConfig.channels.web, publish: { batchSize: 5 } } } },
        publish: {
          web: {
            connector: 'shopify',
            instance: 'cli-test',
            settings: { shopUrl: sim.url, timeoutMs: 2_000, defaultLocationId: String(sim.state.defaultLocation.id) },
            credentials: { accessToken: 'env:CLI_SHOPIFY_TOKEN', clientSecret: sim.clientSecret },
          },
        },
      }),
    );
  });
  afterAll(async () => {
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('pushes every item to the channel in batches, showing progress', async () => {
    const r = await cli(['availability', 'resync', '--channel', 'web', '--data', dir, '--file', file], {
      CLI_SHOPIFY_TOKEN: sim.accessToken,
    });
    expect(r.stderr).toContain('resync web: 5/12 items (41%)');
    expect(r.stderr).toContain('resync web: 12/12 items (100%)');
    expect(r.stdout).toContain('resynced web: 12 figures pushed');
    expect(r.code).toBe(0);
    for (const [i, sku] of skus.entries()) {
      const item = sim.state.inventoryItemForSku(sku);
      const level = sim.state.level(item.id, sim.state.defaultLocation.id);
      // web keeps a buffer of 2 units.
      expect(level ? ShopifyStore.available(level) : undefined).toBe(10 + i - 2);
    }
  });

  it('names an unknown channel and a missing secret', async () => {
    const unknown = await cli(['availability', 'resync', '--channel', 'fax', '--data', dir, '--file', file], {});
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('--channel: fax is not published (known: web)');
    const noSecret = await cli(['availability', 'resync', '--channel', 'web', '--data', dir, '--file', file], {});
    expect(noSecret.code).toBe(1);
    expect(noSecret.stderr).toContain('CLI_SHOPIFY_TOKEN is not set');
  });
});
