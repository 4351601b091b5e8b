import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../src/observability/index.js';
import { PostgresStore, SqliteStore } from '../src/store/index.js';
import { freshPostgresStore } from '../src/store/testing/postgres.js';
import { runCli } from './support/cli.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function sqliteAudit(): Promise<{ dir: string; store: SqliteStore; audit: AuditLog }> {
  const dir = mkdtempSync(join(tmpdir(), 'cd-audit-'));
  dirs.push(dir);
  const store = SqliteStore.open({ file: join(dir, 'crossdock.db') });
  await store.migrate();
  return { dir, store, audit: new AuditLog(store) };
}

describe('audit log on SQLite', () => {
  it('chains entries, records inside a transaction only when it commits, and verifies', async () => {
    const { store, audit } = await sqliteAudit();
    const first = await audit.record({ actor: 'user:alice', action: 'order.create', resource: 'orders/SO-1', after: { total: '10.00' } });
    expect(first.seq).toBe(1);
    expect(first.prevHash).toBe('0'.repeat(64));
    expect(first.afterDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    await expect(
      store.transaction(async (tx) => {
        await audit.record({ actor: 'user:alice', action: 'order.cancel', resource: 'orders/SO-1' }, tx);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const second = await store.transaction((tx) =>
      audit.record(
        { actor: 'partner:acme', action: 'order.update', resource: 'orders/SO-1', before: { total: '10.00' }, after: { total: '12.00' } },
        tx,
      ),
    );
    expect(second.seq).toBe(2);
    expect(second.prevHash).toBe(first.hash);
    expect(second.beforeDigest).toBe(first.afterDigest);
    expect(await audit.verify()).toEqual({ ok: true, rows: 2 });
    // The database itself refuses edits and deletions.
    await expect(store.db.updateTable('audit_log').set({ actor: 'user:mallory' }).where('seq', '=', 1).execute()).rejects.toThrow(
      /append-only/,
    );
    await expect(store.db.deleteFrom('audit_log').where('seq', '=', 2).execute()).rejects.toThrow(/append-only/);
    await store.close();
  });

  it('`crossdock audit verify` passes an intact log and names the first row edited in the file', async () => {
    const { dir, store, audit } = await sqliteAudit();
    for (let i = 1; i <= 5; i++)
      await audit.record({ actor: 'user:alice', action: 'order.update', resource: `orders/SO-${i}`, after: { i } });
    await store.close();
    const ok = runCli(['audit', 'verify', '--data', dir]);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('5 rows verified');

    // Someone with the file drops the guard and rewrites who made change 3.
    const db = new Database(join(dir, 'crossdock.db'));
    db.exec('drop trigger audit_log_no_update');
    db.prepare("update audit_log set actor = 'user:mallory' where seq = 3").run();
    db.close();
    const bad = runCli(['audit', 'verify', '--data', dir]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('CD_ERR_AUDIT_CHAIN_BROKEN');
    expect(bad.stderr).toContain('row 3');
  });

  it('catches rows removed from the end and rows removed in the middle', async () => {
    const { dir, store, audit } = await sqliteAudit();
    for (let i = 1; i <= 4; i++) await audit.record({ actor: 'system:test', action: 'x', resource: `r/${i}` });
    await store.close();
    const db = new Database(join(dir, 'crossdock.db'));
    db.exec('drop trigger audit_log_no_delete');
    db.prepare('delete from audit_log where seq = 4').run();
    db.close();
    const again = SqliteStore.open({ file: join(dir, 'crossdock.db') });
    const tail = await new AuditLog(again).verify();
    expect(tail).toMatchObject({ ok: false, rows: 3, firstBad: { seq: 4 } });
    await again.close();
    const db2 = new Database(join(dir, 'crossdock.db'));
    db2.prepare('delete from audit_log where seq = 2').run();
    db2.close();
    const third = SqliteStore.open({ file: join(dir, 'crossdock.db') });
    expect(await new AuditLog(third).verify()).toMatchObject({ ok: false, firstBad: { seq: 2, reason: 'row 2 is missing' } });
    await third.close();
  });
});

describe('audit log on PostgreSQL', () => {
  it('keeps one chain under concurrent writers in separate connection pools', async () => {
    const fresh = await freshPostgresStore();
    try {
      await fresh.store.migrate();
      const url = process.env.CROSSDOCK_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';
      // Four "processes", each with its own pool, appending at the same time.
      const writers = Array.from({ length: 4 }, () => new PostgresStore({ url, schema: fresh.schema, poolSize: 4 }));
      try {
        await Promise.all(
          writers.flatMap((w, wi) => {
            const audit = new AuditLog(w);
            return Array.from({ length: 25 }, (_, i) =>
              w.transaction((tx) =>
                audit.record({ actor: `system:writer-${wi}`, action: 'append', resource: `r/${wi}/${i}`, after: { i } }, tx),
              ),
            );
          }),
        );
      } finally {
        await Promise.all(writers.map((w) => w.close()));
      }
      const audit = new AuditLog(fresh.store);
      expect(await audit.verify({ pageSize: 30 })).toEqual({ ok: true, rows: 100 });
      const seqs = (await fresh.store.db.selectFrom('audit_log').select('seq').orderBy('seq').execute()).map((r) => Number(r.seq));
      expect(seqs).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
      await expect(fresh.store.db.updateTable('audit_log').set({ actor: 'x' }).where('seq', '=', 1).execute()).rejects.toThrow(
        /append-only/,
      );
      // `crossdock audit verify --store URL` reads the same chain (the schema is chosen by search_path).
      const cli = runCli(['audit', 'verify', '--store', `${url}?options=-c%20search_path%3D${fresh.schema}`]);
      expect(cli.stdout + cli.stderr).toContain('100 rows verified');
      expect(cli.code).toBe(0);
    } finally {
      await fresh.drop();
    }
  });
});
