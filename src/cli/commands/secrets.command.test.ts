import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/cli.js';
import { CredentialVault, parseMasterKeys } from '../../connectors/sdk/index.js';
import { Identity, WebhookSubscriptions } from '../../gateway/index.js';
import { loadConfig } from '../../kernel/index.js';
import { SqliteStore } from '../../store/index.js';
import { loadSecrets } from '../runtime/secrets.js';

const dir = mkdtempSync(join(tmpdir(), 'cd-secrets-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const config = loadConfig({ env: {}, overrides: { dataDir: dir } });
const masterKeys = () => (JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8')) as { masterKeys: string }).masterKeys;

async function withStore<T>(fn: (store: SqliteStore) => Promise<T>): Promise<T> {
  const store = SqliteStore.open({ file: join(dir, 'crossdock.db') });
  await store.migrate();
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

describe('crossdock secrets rotate', () => {
  it('reseals connector credentials and webhook secrets under a new key, then drops the old one', { timeout: 120_000 }, async () => {
    // An embedded hub's generated keys, and secrets sealed by its first key.
    const first = parseMasterKeys(loadSecrets(config, true).masterKeys);
    const { secret, subscriptionId } = await withStore(async (store) => {
      const vault = new CredentialVault(store, first);
      await vault.put('netsuite', 'main', { token: 'tkn-123' });
      await new Identity({ store, signingKey: Buffer.alloc(32, 1) }).createPartner('acme', 'Acme');
      const subs = new WebhookSubscriptions(store, vault, { allowUrl: () => true });
      const sub = await subs.create('acme', { url: 'https://hooks.example.com/in', eventTypes: ['*'] });
      await subs.rotateSecret('acme', sub.id); // a previous secret, still signing during its overlap
      return { secret: await subs.secret('acme', sub.id), subscriptionId: sub.id };
    });

    const r = runCli(['secrets', 'rotate', '--new-key', '--drop-old', '--data', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('resealed 1 connector credential(s) and 1 webhook subscription(s) with k2');
    expect(r.stdout).toContain('dropped k1');

    const now = parseMasterKeys(masterKeys());
    expect(now.map((k) => k.id)).toEqual(['k2']);
    await withStore(async (store) => {
      const vault = new CredentialVault(store, now);
      expect(await vault.get('netsuite', 'main')).toEqual({ token: 'tkn-123' });
      const subs = new WebhookSubscriptions(store, vault);
      expect(await subs.secret('acme', subscriptionId)).toBe(secret);
      expect(await subs.signingSecrets(subscriptionId)).toHaveLength(2);
      // The old key alone opens nothing any more.
      await expect(new CredentialVault(store, first).get('netsuite', 'main')).rejects.toMatchObject({ code: 'CD_ERR_VAULT_KEY' });
    });
  });

  it('refuses while a hub runs on the data directory, and when the keys come from configuration', () => {
    writeFileSync(join(dir, 'hub.lock'), String(process.pid));
    const busy = runCli(['secrets', 'rotate', '--new-key', '--data', dir]);
    rmSync(join(dir, 'hub.lock'));
    expect(busy.code).toBe(1);
    expect(busy.stderr).toContain('in use by another crossdock process');
    const before = masterKeys();
    const configured = runCli(['secrets', 'rotate', '--new-key', '--data', dir], { env: { CROSSDOCK_MASTER_KEYS: before } });
    expect(configured.code).toBe(1);
    expect(configured.stderr).toContain('put the new key first there');
    expect(masterKeys()).toBe(before);
  });
});
