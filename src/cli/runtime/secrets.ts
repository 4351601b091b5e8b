import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
