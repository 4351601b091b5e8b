import type { Command } from 'commander';
import { PARTNER_SCOPES } from '../../gateway/index.js';
import { CrossdockError } from '../../kernel/index.js';
import { type CommonFlags, table, withStoreFlags } from '../shared.js';
import { adminServices, cliActor, iso, parseDuration, withTools } from './admin-shared.js';

function keyStatus(k: { revoked_at: number | null; expires_at: number | null }, now: number): string {
  if (k.revoked_at !== null) return 'revoked';
  if (k.expires_at !== null && Number(k.expires_at) <= now) return 'expired';
  return 'active';
}

/** `crossdock keys create|list|revoke|rotate`: partner API keys on the hub's store. */
export function keysCommand(program: Command): void {
  const keys = program.command('keys').description('partner API keys (shown once, hashed at rest)');

  withStoreFlags(keys.command('create'))
    .description('create an API key for a partner and print it (the only time it is shown)')
    .requiredOption('-p, --partner <id>', 'the partner the key acts for')
    .requiredOption('-s, --scopes <list>', `comma-separated scopes: ${PARTNER_SCOPES.join(', ')}`)
    .option('-e, --expires <duration>', 'expire after this long, e.g. 90d, 12h')
    .option('-l, --label <text>', 'a note to recognise the key by')
    .action(async (flags: { partner: string; scopes: string; expires?: string; label?: string } & CommonFlags) =>
      withTools(flags, async ({ store }) => {
        const scopes = flags.scopes
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        if (scopes.length === 0)
          throw new CrossdockError('CD_ERR_VALIDATION', 'permanent', '--scopes: name at least one scope', { path: 'scopes' });
        const expiresAt = flags.expires !== undefined ? Date.now() + parseDuration('expires', flags.expires) : undefined;
        const { identity, audit } = adminServices(store);
        // The key and its audit entry commit together: no change without its record.
        const created = await store.transaction(async (tx) => {
          const key = await identity.createApiKey(
            flags.partner,
            scopes,
            {
              ...(flags.label !== undefined ? { label: flags.label } : {}),
              ...(expiresAt !== undefined ? { expiresAt } : {}),
            },
            tx,
          );
          await audit.record(
            {
              actor: cliActor(),
              action: 'apikey.create',
              resource: `partners/${flags.partner}/keys/${key.prefix}`,
              after: { scopes, expiresAt: expiresAt ?? null },
            },
            tx,
          );
          return key;
        });
        process.stdout.write(`${created.key}\n`);
        process.stderr.write(
          `key ${created.prefix} for ${flags.partner} (${scopes.join(' ')}), expires ${iso(expiresAt)}; it is shown only this once\n`,
        );
      }),
    );

  withStoreFlags(keys.command('list'))
    .description('list API keys (prefixes, never secrets)')
    .option('-p, --partner <id>', 'only this partner')
    .option('--json', 'print JSON lines')
    .action(async (flags: { partner?: string; json?: boolean } & CommonFlags) =>
      withTools(flags, async ({ store }) => {
        let q = store.db
          .selectFrom('gw_api_keys')
          .select(['prefix', 'partner_id', 'label', 'scopes', 'created_at', 'expires_at', 'revoked_at', 'last_used_at']);
        if (flags.partner !== undefined) q = q.where('partner_id', '=', flags.partner);
        const rows = await q.orderBy('partner_id').orderBy('created_at').execute();
        const now = Date.now();
        if (flags.json) {
          for (const r of rows) {
            process.stdout.write(
              `${JSON.stringify({
                prefix: r.prefix,
                partner: r.partner_id,
                label: r.label,
                scopes: JSON.parse(r.scopes),
                status: keyStatus(r, now),
                createdAt: iso(r.created_at),
                expiresAt: r.expires_at === null ? null : iso(r.expires_at),
                lastUsedAt: r.last_used_at === null ? null : iso(r.last_used_at),
              })}\n`,
            );
          }
          return;
        }
        if (rows.length === 0) {
          process.stdout.write('no API keys\n');
          return;
        }
        process.stdout.write(
          `${table(
            ['prefix', 'partner', 'status', 'scopes', 'expires', 'last used', 'label'],
            rows.map((r) => [
              r.prefix,
              r.partner_id,
              keyStatus(r, now),
              (JSON.parse(r.scopes) as string[]).join(','),
              iso(r.expires_at),
              iso(r.last_used_at),
              r.label ?? '',
            ]),
          )}\n`,
        );
      }),
    );

  withStoreFlags(keys.command('revoke'))
    .description('revoke an API key at once (running hubs stop accepting it within their key cache time, 30 s)')
    .argument('<prefix>', 'the key prefix (from keys list)')
    .action(async (prefix: string, flags: CommonFlags) =>
      withTools(flags, async ({ store }) => {
        const { identity, audit } = adminServices(store);
        const done = await store.transaction(async (tx) => {
          const row = await tx.db.selectFrom('gw_api_keys').select(['partner_id']).where('prefix', '=', prefix).executeTakeFirst();
          const revoked = await identity.revokeApiKey(prefix, tx);
          if (revoked && row) {
            await audit.record({ actor: cliActor(), action: 'apikey.revoke', resource: `partners/${row.partner_id}/keys/${prefix}` }, tx);
          }
          return revoked;
        });
        if (!done) {
          throw new CrossdockError('CD_ERR_AUTH_UNKNOWN_KEY', 'permanent', `no unrevoked API key with prefix ${prefix}`, {
            path: 'prefix',
          });
        }
        process.stdout.write(`key ${prefix} revoked\n`);
      }),
    );

  withStoreFlags(keys.command('rotate'))
    .description('issue a new key with the same partner and scopes; the old one stays valid for the grace period')
    .argument('<prefix>', 'the key prefix to replace')
    .option('-g, --grace <duration>', 'how long the old key keeps working', '7d')
    .option('-e, --expires <duration>', 'expiry of the new key, e.g. 90d')
    .action(async (prefix: string, flags: { grace: string; expires?: string } & CommonFlags) =>
      withTools(flags, async ({ store }) => {
        const graceMs = parseDuration('grace', flags.grace);
        const expiresAt = flags.expires !== undefined ? Date.now() + parseDuration('expires', flags.expires) : undefined;
        const { identity, audit } = adminServices(store);
        const rotated = await store.transaction(async (tx) => {
          const r = await identity.rotateApiKey(prefix, { graceMs, ...(expiresAt !== undefined ? { expiresAt } : {}) }, tx);
          await audit.record(
            {
              actor: cliActor(),
              action: 'apikey.rotate',
              resource: `partners/${r.partnerId}/keys/${prefix}`,
              after: { replacedBy: r.prefix, oldExpiresAt: r.oldExpiresAt },
            },
            tx,
          );
          return r;
        });
        process.stdout.write(`${rotated.key}\n`);
        process.stderr.write(
          `new key ${rotated.prefix} for ${rotated.partnerId}; the old key ${prefix} keeps working until ${iso(rotated.oldExpiresAt)}; the new key is shown only this once\n`,
        );
      }),
    );
}
