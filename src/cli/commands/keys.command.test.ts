import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/cli.js';
import { Identity } from '../../gateway/index.js';
import { AuditLog } from '../../observability/index.js';
import { SqliteStore } from '../../store/index.js';

/** The real `crossdock` command on a data directory; the checks read the same store. */
const dir = mkdtempSync(join(tmpdir(), 'cd-keys-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function withIdentity<T>(fn: (identity: Identity, store: SqliteStore) => Promise<T>): Promise<T> {
  const store = SqliteStore.open({ file: join(dir, 'crossdock.db') });
  try {
    return await fn(new Identity({ store, signingKey: randomBytes(32), keyCacheMs: 0 }), store);
  } finally {
    await store.close();
  }
}

describe('crossdock partners, keys and users', () => {
  it('creates a key shown once, rotates it without downtime, revokes the old one', { timeout: 120_000 }, async () => {
    const partner = runCli(['partners', 'create', 'acme', '--name', 'Acme Retail', '--data', dir]);
    expect(partner.stderr).toBe('');
    expect(partner.stdout).toContain('partner acme created');

    const created = runCli([
      'keys',
      'create',
      '--partner',
      'acme',
      '--scopes',
      'orders:read,orders:write',
      '--expires',
      '90d',
      '--data',
      dir,
    ]);
    expect(created.code).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^cdk_[a-z0-9]{12}_[A-Za-z0-9_-]{32,}$/);
    const prefix = key.split('_')[1] ?? '';
    const secret = key.slice(`cdk_${prefix}_`.length);

    const listed = runCli(['keys', 'list', '--json', '--data', dir]);
    const rows = listed.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { prefix: string; status: string; scopes: string[]; expiresAt: string });
    expect(rows).toEqual([expect.objectContaining({ prefix, status: 'active', scopes: ['orders:read', 'orders:write'] })]);
    const expires = Date.parse(rows[0]?.expiresAt ?? '');
    expect(Math.abs(expires - (Date.now() + 90 * 86_400_000))).toBeLessThan(120_000);
    // The secret is never shown again, nor kept in clear.
    expect(listed.stdout).not.toContain(secret);
    await withIdentity(async (identity, store) => {
      expect(await identity.authenticate(`Bearer ${key}`)).toMatchObject({ kind: 'partner', partnerId: 'acme' });
      const raw = await store.db.selectFrom('gw_api_keys').selectAll().execute();
      expect(JSON.stringify(raw)).not.toContain(secret);
    });

    const rotated = runCli(['keys', 'rotate', prefix, '--grace', '1h', '--data', dir]);
    expect(rotated.code).toBe(0);
    const next = rotated.stdout.trim();
    expect(next).toMatch(/^cdk_/);
    expect(next).not.toBe(key);
    expect(rotated.stderr).toContain(`the old key ${prefix} keeps working until`);
    await withIdentity(async (identity, store) => {
      // Both work during the grace period: the partner switches without downtime.
      expect(await identity.authenticate(`Bearer ${key}`)).toMatchObject({ partnerId: 'acme' });
      expect(await identity.authenticate(`Bearer ${next}`)).toMatchObject({
        partnerId: 'acme',
        scopes: new Set(['orders:read', 'orders:write']),
      });
      const old = await store.db.selectFrom('gw_api_keys').select('expires_at').where('prefix', '=', prefix).executeTakeFirstOrThrow();
      expect(Math.abs(Number(old.expires_at) - (Date.now() + 3_600_000))).toBeLessThan(120_000);
    });

    const revoked = runCli(['keys', 'revoke', prefix, '--data', dir]);
    expect(revoked.stdout).toContain(`key ${prefix} revoked`);
    await withIdentity(async (identity) => {
      expect(await identity.authenticate(`Bearer ${key}`)).toBeUndefined();
      expect(await identity.authenticate(`Bearer ${next}`)).toMatchObject({ partnerId: 'acme' });
    });

    const user = runCli(['users', 'create', 'alice', '--role', 'operator', '--data', dir]);
    expect(user.code).toBe(0);
    const password = user.stdout.trim();
    await withIdentity(async (identity, store) => {
      expect(await identity.login('alice', password)).toMatchObject({ role: 'operator' });
      // Every change above is in the audit log, and the chain verifies.
      const audit = new AuditLog(store);
      const actions = (await audit.list()).map((e) => `${e.action} ${e.resource}`).reverse();
      expect(actions).toEqual([
        'partner.create partners/acme',
        `apikey.create partners/acme/keys/${prefix}`,
        `apikey.rotate partners/acme/keys/${prefix}`,
        `apikey.revoke partners/acme/keys/${prefix}`,
        'user.create users/alice',
      ]);
      expect((await audit.list())[0]?.actor).toMatch(/^cli:/);
      expect(await audit.verify()).toEqual({ ok: true, rows: 5 });
    });
  });

  it('refuses an unknown partner, scope or role with a clear error', { timeout: 60_000 }, () => {
    const noPartner = runCli(['keys', 'create', '--partner', 'nobody', '--scopes', 'orders:read', '--data', dir]);
    expect(noPartner.code).toBe(1);
    expect(noPartner.stderr).toContain('CD_ERR_AUTH_UNKNOWN_PARTNER');
    expect(noPartner.stdout).toBe('');
    const badRole = runCli(['users', 'create', 'bob', '--role', 'god', '--data', dir]);
    expect(badRole.code).toBe(1);
    expect(badRole.stderr).toContain('--role');
  });
});
