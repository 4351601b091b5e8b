import type { Command } from 'commander';
import { CredentialVault, parseMasterKeys } from '../../connectors/sdk/index.js';
import { WebhookSubscriptions } from '../../gateway/index.js';
import { Errors } from '../../kernel/index.js';
import type { Store } from '../../store/index.js';
import { lockDataDir } from '../runtime/data-dir-lock.js';
import { addMasterKey, dropOlderMasterKeys, loadSecrets } from '../runtime/secrets.js';
import { type CommonFlags, configFrom, reportError, withStoreFlags } from '../shared.js';
import { adminServices, cliActor, withTools } from './admin-shared.js';

interface RotateFlags extends CommonFlags {
  newKey?: boolean;
  dropOld?: boolean;
}

/** `crossdock secrets rotate`: master-key rotation for connector credentials and webhook signing secrets. */
export function secretsCommand(program: Command): void {
  const secrets = program.command('secrets').description("the hub's master keys, which seal connector credentials and webhook secrets");

  withStoreFlags(secrets.command('rotate'))
    .description('reseal every stored secret with the first master key, so older keys can be dropped')
    .option('--new-key', 'embedded hub: first generate a master key and put it first in <data>/secrets.json')
    .option('--drop-old', 'embedded hub: once everything is resealed, keep only the first key in <data>/secrets.json')
    .action(async (flags: RotateFlags) => {
      const config = configFrom(flags);
      const embedded = config.store === 'sqlite' || config.store.startsWith('sqlite:');
      // A running embedded hub holds the keys it started with: it could not open what is resealed
      // under a new key, so the data directory must be free.
      const unlock = embedded ? guard(() => lockDataDir(config.dataDir)) : undefined;
      if (embedded && !unlock) return;
      try {
        await withTools(flags, async ({ store }) => {
          const added = flags.newKey ? addMasterKey(config) : undefined;
          const keys = parseMasterKeys(loadSecrets(config, embedded).masterKeys);
          const vault = new CredentialVault(store, keys);
          const credentials = await vault.rotate();
          const webhooks = await new WebhookSubscriptions(store, vault).reseal();
          const left = await sealedByOthers(store, vault.activeKeyId);
          if (flags.dropOld && left > 0) {
            throw Errors.config(`${left} secret(s) are still sealed by an older key; run rotate again before dropping keys`, {
              path: 'security.masterKeys',
            });
          }
          const dropped = flags.dropOld ? dropOlderMasterKeys(config) : [];
          await adminServices(store).audit.record({
            actor: cliActor(),
            action: 'secrets.rotate',
            resource: 'secrets/master-keys',
            after: { sealingKey: vault.activeKeyId, credentials, webhookSubscriptions: webhooks, dropped },
          });
          process.stdout.write(
            `${added ? `new master key ${added}; ` : ''}resealed ${credentials} connector credential(s) and ${webhooks} webhook subscription(s) with ${vault.activeKeyId}\n`,
          );
          const older = keys.slice(1).map((k) => k.id);
          if (dropped.length > 0) process.stdout.write(`dropped ${dropped.join(', ')} from ${config.dataDir}/secrets.json\n`);
          else if (older.length > 0) process.stdout.write(`nothing is sealed by ${older.join(', ')} any more; they can be removed\n`);
        });
      } finally {
        unlock?.();
      }
    });
}

/** Runs fn; a failure is reported as by every command (exit 1) and undefined returned. */
function guard<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch (err) {
    reportError(err);
    return undefined;
  }
}

/** How many stored secrets another key than `active` still seals. */
async function sealedByOthers(store: Store, active: string): Promise<number> {
  const credentials = await store.db
    .selectFrom('connector_credentials')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('key_id', '!=', active)
    .executeTakeFirstOrThrow();
  const webhooks = await store.db
    .selectFrom('wh_subscriptions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) => eb.or([eb('secret_key_id', '!=', active), eb('prev_secret_key_id', '!=', active)]))
    .executeTakeFirstOrThrow();
  return Number(credentials.n) + Number(webhooks.n);
}
