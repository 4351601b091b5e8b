import type { Command } from 'commander';
import { CrossdockError } from '../../kernel/index.js';
import { type CommonFlags, table, withStoreFlags } from '../shared.js';
import { adminServices, cliActor, iso, withTools } from './admin-shared.js';

const PARTNER_ID = /^[a-z0-9][a-z0-9._-]{0,99}$/;

/** `crossdock partners create|list`: the trading partners that may hold API keys. */
export function partnersCommand(program: Command): void {
  const partners = program.command('partners').description('trading partners reaching the partner API');

  withStoreFlags(partners.command('create'))
    .description('create a partner (or rename it / change its plan)')
    .argument('<id>', 'partner id: lower-case letters, digits, . _ -')
    .requiredOption('-n, --name <name>', 'display name')
    .option('--plan <plan>', 'quota plan', 'standard')
    .action(async (id: string, flags: { name: string; plan: string } & CommonFlags) =>
      withTools(flags, async ({ store }) => {
        if (!PARTNER_ID.test(id)) {
          throw new CrossdockError(
            'CD_ERR_VALIDATION',
            'permanent',
            `partner id "${id}": use lower-case letters, digits, . _ - (at most 100)`,
            {
              path: 'id',
            },
          );
        }
        const { identity, audit } = adminServices(store);
        const before = await store.transaction(async (tx) => {
          const was = await identity.partner(id, tx);
          await identity.createPartner(id, flags.name, flags.plan, tx);
          await audit.record(
            {
              actor: cliActor(),
              action: was ? 'partner.update' : 'partner.create',
              resource: `partners/${id}`,
              ...(was ? { before: was } : {}),
              after: await identity.partner(id, tx),
            },
            tx,
          );
          return was;
        });
        process.stdout.write(`partner ${id} ${before ? 'updated' : 'created'} (plan ${flags.plan})\n`);
      }),
    );

  withStoreFlags(partners.command('list'))
    .description('list partners')
    .option('--json', 'print JSON lines')
    .action(async (flags: { json?: boolean } & CommonFlags) =>
      withTools(flags, async ({ store }) => {
        const rows = await store.db.selectFrom('gw_partners').selectAll().orderBy('id').execute();
        if (flags.json) {
          for (const r of rows) {
            process.stdout.write(
              `${JSON.stringify({ id: r.id, name: r.name, plan: r.plan, status: r.status, createdAt: iso(r.created_at) })}\n`,
            );
          }
          return;
        }
        if (rows.length === 0) {
          process.stdout.write('no partners\n');
          return;
        }
        process.stdout.write(
          `${table(
            ['id', 'name', 'plan', 'status', 'created'],
            rows.map((r) => [r.id, r.name, r.plan, r.status, iso(r.created_at)]),
          )}\n`,
        );
      }),
    );
}
