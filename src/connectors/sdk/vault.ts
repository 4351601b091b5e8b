import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { type Clock, defineError, systemClock } from '../../kernel/index.js';
import type { Store, Tx } from '../../store/index.js';

export const VaultErrors = {
  noKey: defineError('CD_ERR_VAULT_KEY', { class: 'permanent', title: 'Master key missing or invalid' }),
  tampered: defineError('CD_ERR_VAULT_TAMPERED', { class: 'permanent', title: 'Sealed secret does not verify' }),
  missing: defineError('CD_ERR_VAULT_MISSING', { class: 'permanent', title: 'No credentials stored' }),
} as const;

export interface MasterKey {
  id: string;
  /** 32 bytes. */
  key: Buffer;
}

/** Parses `id:base64` (the form of CROSSDOCK_MASTER_KEYS entries, comma separated, active first). */
export function parseMasterKeys(spec: string): MasterKey[] {
  return spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const [id, b64] = entry.split(':');
      const key = Buffer.from(b64 ?? '', 'base64');
      if (!id || key.length !== 32) {
        throw VaultErrors.noKey(`master key entry "${id ?? ''}:…" must be <id>:<32 bytes in base64>`, { path: 'secrets.masterKeys' });
      }
      return { id, key };
    });
}

/**
 * Connector secrets at rest: AES-256-GCM with a master key; each sealed value records the id of
 * the key that sealed it. Rotation: put the new key first (it seals), keep the old ones after it
 * (they still open), run `rotate()` to reseal everything with the new key, then drop the old key.
 */
export class CredentialVault {
  private readonly keys: Map<string, Buffer>;
  private readonly active: MasterKey;

  constructor(
    private readonly store: Store,
    keys: readonly MasterKey[],
    private readonly clock: Clock = systemClock,
  ) {
    const [active] = keys;
    if (!active) throw VaultErrors.noKey('no master key configured');
    this.active = active;
    this.keys = new Map(keys.map((k) => [k.id, k.key]));
  }

  /** The id of the key that seals. */
  get activeKeyId(): string {
    return this.active.id;
  }

  seal(plaintext: string): { keyId: string; sealed: string } {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.active.key, nonce);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { keyId: this.active.id, sealed: Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64') };
  }

  open(keyId: string, sealed: string): string {
    const key = this.keys.get(keyId);
    if (!key) throw VaultErrors.noKey(`secret sealed with master key "${keyId}", which is not configured`, { keyId });
    const raw = Buffer.from(sealed, 'base64');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(raw.length - 16));
      return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString('utf8');
    } catch (err) {
      throw VaultErrors.tampered(`sealed secret does not verify with master key "${keyId}"`, { keyId }, { cause: err });
    }
  }

  async put(connector: string, instance: string, secret: unknown, tx?: Tx): Promise<void> {
    const { keyId, sealed } = this.seal(JSON.stringify(secret));
    const now = this.clock.now();
    await (tx?.db ?? this.store.db)
      .insertInto('connector_credentials')
      .values({ connector, instance, key_id: keyId, sealed, updated_at: now })
      .onConflict((oc) => oc.columns(['connector', 'instance']).doUpdateSet({ key_id: keyId, sealed, updated_at: now }))
      .execute();
  }

  async get(connector: string, instance: string): Promise<unknown> {
    const row = await this.store.db
      .selectFrom('connector_credentials')
      .select(['key_id', 'sealed'])
      .where('connector', '=', connector)
      .where('instance', '=', instance)
      .executeTakeFirst();
    if (!row) throw VaultErrors.missing(`no credentials stored for ${connector}/${instance}`, { connector, instance });
    return JSON.parse(this.open(row.key_id, row.sealed));
  }

  /** Reseals every secret not sealed by the active key. Returns how many were resealed. */
  async rotate(): Promise<number> {
    const rows = await this.store.db.selectFrom('connector_credentials').selectAll().where('key_id', '!=', this.active.id).execute();
    for (const row of rows) {
      const { keyId, sealed } = this.seal(this.open(row.key_id, row.sealed));
      await this.store.db
        .updateTable('connector_credentials')
        .set({ key_id: keyId, sealed, updated_at: this.clock.now() })
        .where('connector', '=', row.connector)
        .where('instance', '=', row.instance)
        .execute();
    }
    return rows.length;
  }
}
