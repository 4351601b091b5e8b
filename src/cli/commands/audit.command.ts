import type { Command } from 'commander';
import { AuditLog } from '../../observability/index.js';
import { type CommonFlags, parseIntFlag, table, withStoreFlags } from '../shared.js';
import { iso, withTools } from './admin-shared.js';

/** `crossdock audit verify|list`: the hash-chained audit log. */
export function auditCommand(program: Command): void {
  const audit = program.command('audit').description('the audit log: who changed what, when');

  withStoreFlags(audit.command('verify'))
    .description('walk the hash chain; exit 1 naming the first row that was changed, removed or reordered')
    .action(async (flags: CommonFlags) =>
      withTools(flags, async ({ store }) => {
        const result = await new AuditLog(store).verify();
        if (result.ok) {
          process.stdout.write(`audit log intact: ${result.rows} rows verified\n`);
          return;
        }
        process.stderr.write(
          `error CD_ERR_AUDIT_CHAIN_BROKEN: audit log tampered at row ${result.firstBad?.seq}: ${result.firstBad?.reason} (${result.rows} rows before it verify)\n`,
        );
        process.exitCode = 1;
      }),
    );

  withStoreFlags(audit.command('list'))
    .description('the newest audit entries')
    .option('-r, --resource <resource>', 'only this resource, e.g. orders/SO-1001')
    .option('-a, --actor <actor>', 'only this actor, e.g. partner:acme')
    .option('-n, --limit <n>', 'how many', '50')
    .option('--json', 'print JSON lines')
    .action(async (flags: { resource?: string; actor?: string; limit: string; json?: boolean } & CommonFlags) =>
      withTools(flags, async ({ store }) => {
        const rows = await new AuditLog(store).list({
          ...(flags.resource !== undefined ? { resource: flags.resource } : {}),
          ...(flags.actor !== undefined ? { actor: flags.actor } : {}),
          limit: parseIntFlag('limit', flags.limit),
        });
        if (flags.json) {
          for (const r of rows) process.stdout.write(`${JSON.stringify(r)}\n`);
          return;
        }
        process.stdout.write(
          `${table(
            ['seq', 'at', 'actor', 'action', 'resource', 'after'],
            rows.map((r) => [String(r.seq), iso(r.at), r.actor, r.action, r.resource, (r.afterDigest ?? '-').slice(0, 19)]),
          )}\n`,
        );
      }),
    );
}
