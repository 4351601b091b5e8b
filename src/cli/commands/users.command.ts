import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { CrossdockError } from '../../kernel/index.js';
import { type CommonFlags, table, withStoreFlags } from '../shared.js';
import { adminServices, cliActor, iso, withTools } from './admin-shared.js';

const ROLES = ['admin', 'operator', 'viewer'] as const;
type Role = (typeof ROLES)[number];
const isRole = (v: string): v is Role => (ROLES as readonly string[]).includes(v);

/** `crossdock users create|list`: console users and their roles. */
export function usersCommand(program: Command): void {
  const users = program.command('users').description('console users (admin, operator, viewer)');

  withStoreFlags(users.command('create'))
    .description('create a console user; without --password-env a password is generated and printed once')
    .argument('<username>', 'login name')
    .requiredOption('-r, --role <role>', 'admin, operator or viewer')
    .option('--password-env <name>', 'read the password from this environment variable (not from the command line)')
    .action(async (username: string, flags: { role: string; passwordEnv?: string } & CommonFlags) =>
      withTools(flags, async ({ store }) => {
        if (!isRole(flags.role)) {
          throw new CrossdockError('CD_ERR_VALIDATION', 'permanent', `--role: expected admin, operator or viewer, got "${flags.role}"`, {
            path: 'role',
          });
        }
        const role = flags.role;
        if (!/^[A-Za-z0-9._@-]{1,200}$/.test(username)) {
          throw new CrossdockError('CD_ERR_VALIDATION', 'permanent', `username "${username}": letters, digits and . _ @ - only`, {
            path: 'username',
          });
        }
        const given = flags.passwordEnv !== undefined ? process.env[flags.passwordEnv] : undefined;
        if (flags.passwordEnv !== undefined && !given) {
          throw new CrossdockError('CD_ERR_VALIDATION', 'permanent', `--password-env: ${flags.passwordEnv} is not set`, {
            path: 'password-env',
          });
        }
        const password = given ?? randomBytes(18).toString('base64url');
        const { identity, audit } = adminServices(store);
        await store.transaction(async (tx) => {
          const existing = await tx.db.selectFrom('gw_users').select('username').where('username', '=', username).executeTakeFirst();
          if (existing) throw new CrossdockError('CD_ERR_CONFLICT', 'permanent', `user ${username} already exists`, { path: 'username' });
          await identity.createUser(username, password, role, tx);
          await audit.record(
            { actor: cliActor(), action: 'user.create', resource: `users/${username}`, after: { username, role: flags.role } },
            tx,
          );
        });
        if (given === undefined) process.stdout.write(`${password}\n`);
        process.stderr.write(
          `user ${username} created with role ${flags.role}${given === undefined ? '; the password is shown only this once' : ''}\n`,
        );
      }),
    );

  withStoreFlags(users.command('list'))
    .description('list console users')
    .action(async (flags: CommonFlags) =>
      withTools(flags, async ({ store }) => {
        const rows = await store.db
          .selectFrom('gw_users')
          .select(['username', 'role', 'created_at', 'disabled_at'])
          .orderBy('username')
          .execute();
        process.stdout.write(
          `${table(
            ['username', 'role', 'status', 'created'],
            rows.map((r) => [r.username, r.role, r.disabled_at === null ? 'active' : 'disabled', iso(r.created_at)]),
          )}\n`,
        );
      }),
    );
}
