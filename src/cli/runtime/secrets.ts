import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { type Config, Errors } from '../../kernel/index.js';

const SecretsFile = z.object({ tokenKey: z.string().min(43), masterKeys: z.string().min(1) });

export interface HubSecrets {
  tokenKey: Buffer;
  masterKeys: string;
}

/**
 * The token-signing key and the connector-secret master keys. Taken from config or the environment
 * when set (a cluster must set them: every process needs the same keys); an embedded hub otherwise
 * creates them once in `<data>/secrets.json`, readable by its owner only.
 */
export function loadSecrets(config: Config, embedded: boolean): HubSecrets {
  const file = join(resolve(config.dataDir), 'secrets.json');
  let fromFile: z.infer<typeof SecretsFile> | undefined;
  if (!config.security.tokenKey || !config.security.masterKeys) {
    if (!embedded) {
      throw Errors.config(
        'a cluster needs security.tokenKey and security.masterKeys (CROSSDOCK_TOKEN_KEY, CROSSDOCK_MASTER_KEYS), the same in every process',
        {
          path: 'security',
        },
      );
    }
    if (existsSync(file)) {
      const parsed = SecretsFile.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      if (!parsed.success)
        throw Errors.config(`${file} is damaged; restore it from a backup (sealed connector secrets need its master key)`, {
          path: 'security',
        });
      fromFile = parsed.data;
    } else {
      mkdirSync(resolve(config.dataDir), { recursive: true });
      fromFile = { tokenKey: randomBytes(32).toString('base64'), masterKeys: `k1:${randomBytes(32).toString('base64')}` };
      writeFileSync(file, `${JSON.stringify(fromFile, null, 2)}\n`, { mode: 0o600 });
    }
  }
  const tokenKey = Buffer.from(config.security.tokenKey ?? fromFile?.tokenKey ?? '', 'base64');
  if (tokenKey.length < 32) throw Errors.config('security.tokenKey must be base64 of at least 32 bytes', { path: 'security.tokenKey' });
  return { tokenKey, masterKeys: config.security.masterKeys ?? fromFile?.masterKeys ?? '' };
}

/** Where an embedded hub keeps its generated keys. */
export function secretsFile(config: Config): string {
  return join(resolve(config.dataDir), 'secrets.json');
}

function readSecretsFile(config: Config): z.infer<typeof SecretsFile> {
  const file = secretsFile(config);
  if (config.security.masterKeys) {
    throw Errors.config(
      'the master keys come from configuration (security.masterKeys or CROSSDOCK_MASTER_KEYS): put the new key first there',
      {
        path: 'security.masterKeys',
      },
    );
  }
  if (!existsSync(file)) throw Errors.config(`${file} does not exist: this data directory has no generated keys`, { path: 'dataDir' });
  const parsed = SecretsFile.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw Errors.config(`${file} is damaged; restore it from a backup`, { path: 'security' });
  return parsed.data;
}

function writeSecretsFile(config: Config, secrets: z.infer<typeof SecretsFile>): void {
  // Written whole to a temporary file, then renamed over the old one: a crash leaves one or the other.
  const file = secretsFile(config);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

/**
 * Embedded hub: generates a master key and puts it first in `<data>/secrets.json` (it seals from
 * now on; the older keys still open). Returns the new key's id.
 */
export function addMasterKey(config: Config): string {
  const secrets = readSecretsFile(config);
  const ids = new Set(secrets.masterKeys.split(',').map((entry) => entry.split(':')[0]));
  let n = ids.size + 1;
  while (ids.has(`k${n}`)) n++;
  const id = `k${n}`;
  writeSecretsFile(config, { ...secrets, masterKeys: `${id}:${randomBytes(32).toString('base64')},${secrets.masterKeys}` });
  return id;
}

/** Embedded hub: keeps only the first (sealing) master key in `<data>/secrets.json`. Returns the ids dropped. */
export function dropOlderMasterKeys(config: Config): string[] {
  const secrets = readSecretsFile(config);
  const [first, ...rest] = secrets.masterKeys.split(',');
  if (!first) return [];
  writeSecretsFile(config, { ...secrets, masterKeys: first });
  return rest.map((entry) => entry.split(':')[0] ?? '');
}
