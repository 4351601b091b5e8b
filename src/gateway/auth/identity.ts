import { type Clock, defineError, newId, systemClock } from '../../kernel/index.js';
import type { Store, Tx } from '../../store/index.js';
import { signJwt, verifyJwt } from './jwt.js';
import { hashPassword, hashSecret, randomToken, sameHash, verifyPassword } from './secrets.js';

export const AuthErrors = {
  unauthenticated: defineError('CD_ERR_AUTH_REQUIRED', { class: 'permanent', title: 'Authentication required' }),
  forbidden: defineError('CD_ERR_AUTH_SCOPE', { class: 'permanent', title: 'Not allowed for these credentials' }),
  invalidClient: defineError('CD_ERR_AUTH_INVALID_CLIENT', { class: 'permanent', title: 'Unknown client or wrong secret' }),
  invalidScope: defineError('CD_ERR_AUTH_INVALID_SCOPE', { class: 'permanent', title: 'Scope not granted to this client' }),
  unknownPartner: defineError('CD_ERR_AUTH_UNKNOWN_PARTNER', { class: 'permanent', title: 'No such partner' }),
  unknownKey: defineError('CD_ERR_AUTH_UNKNOWN_KEY', { class: 'permanent', title: 'No such live API key' }),
} as const;

export type Role = 'admin' | 'operator' | 'viewer';

/** Who is calling. Partners see only their own documents; users act for the operations team. */
export type Principal =
  | { kind: 'partner'; partnerId: string; scopes: ReadonlySet<string>; credential: string }
  | { kind: 'user'; username: string; role: Role; scopes: ReadonlySet<string>; credential: string };

/** Scopes a partner may be granted. Each route declares the one it needs. */
export const PARTNER_SCOPES = [
  'orders:read',
  'orders:write',
  'availability:read',
  'shipments:read',
  'invoices:read',
  'returns:read',
  'returns:write',
  'items:read',
  'customers:read',
  'purchaseorders:read',
  'acknowledgements:read',
  'acknowledgements:write',
  'asns:read',
  'asns:write',
  'inventory:read',
  'inventory:write',
  'webhooks:manage',
] as const;

/**
 * A partner that submits a kind of document may read back what it sent: keys issued with the write
 * scope before the read scope existed keep working. Other write scopes imply nothing.
 */
const IMPLIED_BY: Readonly<Record<string, string>> = {
  'acknowledgements:read': 'acknowledgements:write',
  'asns:read': 'asns:write',
  'inventory:read': 'inventory:write',
};

/** Whether the principal holds `scope`, directly or through the write scope that implies it. */
export function hasScope(principal: Principal, scope: string): boolean {
  if (principal.scopes.has(scope)) return true;
  const implied = IMPLIED_BY[scope];
  return implied !== undefined && principal.scopes.has(implied);
}

const READS = PARTNER_SCOPES.filter((s) => s.endsWith(':read'));
const OPERATIONS = [
  'exceptions:read',
  'exceptions:write',
  'dlq:read',
  'dlq:write',
  'flows:read',
  'flows:write',
  'timeline:read',
  'edi:read',
];
export const ROLE_SCOPES: Record<Role, readonly string[]> = {
  viewer: [...READS, 'exceptions:read', 'dlq:read', 'flows:read', 'timeline:read', 'edi:read'],
  operator: [...READS, ...OPERATIONS],
  admin: [...PARTNER_SCOPES, ...OPERATIONS, 'partners:manage', 'keys:manage', 'audit:read'],
};

const KEY_PATTERN = /^cdk_([a-z0-9]{12})_([A-Za-z0-9_-]{32,})$/;
const ACCESS_TOKEN_SECONDS = 900;

export interface IdentityOptions {
  store: Store;
  /** Signs access tokens; at least 32 bytes. */
  signingKey: Buffer;
  clock?: Clock;
  /** How long a verified API key is trusted without a store read (a revocation takes effect within it). */
  keyCacheMs?: number;
}

/**
 * Partners, their API keys and OAuth clients, and console users. API keys are `cdk_<prefix>_<secret>`:
 * the prefix is stored in clear (to find the key), the secret only as a hash. Several keys per
 * partner may be live at once, so a key is rotated without downtime: create the new one, switch, revoke.
 */
export class Identity {
  private readonly store: Store;
  private readonly key: Buffer;
  private readonly clock: Clock;
  private readonly keyCacheMs: number;
  private readonly keyCache = new Map<string, { principal: Principal; until: number }>();

  constructor(options: IdentityOptions) {
    if (options.signingKey.length < 32) throw new Error('the token signing key must be at least 32 bytes');
    this.store = options.store;
    this.key = options.signingKey;
    this.clock = options.clock ?? systemClock;
    this.keyCacheMs = options.keyCacheMs ?? 30_000;
  }

  async createPartner(id: string, name: string, plan = 'standard', tx?: Tx): Promise<void> {
    await (tx?.db ?? this.store.db)
      .insertInto('gw_partners')
      .values({ id, name, plan, status: 'active', created_at: this.clock.now() })
      .onConflict((oc) => oc.column('id').doUpdateSet({ name, plan }))
      .execute();
  }

  async partner(id: string, tx?: Tx): Promise<{ id: string; name: string; plan: string; status: string } | undefined> {
    return (tx?.db ?? this.store.db)
      .selectFrom('gw_partners')
      .select(['id', 'name', 'plan', 'status'])
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** Returns the whole key once; only its hash is kept. */
  async createApiKey(
    partnerId: string,
    scopes: readonly string[],
    options: { label?: string; expiresAt?: number } = {},
    tx?: Tx,
  ): Promise<{ key: string; prefix: string }> {
    if (!(await this.partner(partnerId, tx))) throw AuthErrors.unknownPartner(`no partner ${partnerId}`, { path: 'partner' });
    const unknown = scopes.filter((s) => !(PARTNER_SCOPES as readonly string[]).includes(s));
    if (unknown.length > 0) throw AuthErrors.invalidScope(`unknown scopes: ${unknown.join(', ')}`, { path: 'scopes' });
    const prefix = randomToken(9)
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '0')
      .slice(0, 12)
      .padEnd(12, '0');
    const secret = randomToken(32);
    await (tx?.db ?? this.store.db)
      .insertInto('gw_api_keys')
      .values({
        prefix,
        partner_id: partnerId,
        secret_hash: hashSecret(secret),
        scopes: JSON.stringify(scopes),
        label: options.label ?? null,
        created_at: this.clock.now(),
        expires_at: options.expiresAt ?? null,
        revoked_at: null,
        last_used_at: null,
      })
      .execute();
    return { key: `cdk_${prefix}_${secret}`, prefix };
  }

  async revokeApiKey(prefix: string, tx?: Tx): Promise<boolean> {
    const r = await (tx?.db ?? this.store.db)
      .updateTable('gw_api_keys')
      .set({ revoked_at: this.clock.now() })
      .where('prefix', '=', prefix)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    this.forget(prefix, tx);
    return Number(r.numUpdatedRows) > 0;
  }

  /**
   * Rotation without downtime: a new key with the same partner and scopes (and `expiresAt` if
   * given), while the old key stays valid for `graceMs` more (never longer than it already was), so
   * the partner can switch at its own pace. Returns the new key once.
   */
  async rotateApiKey(
    prefix: string,
    options: { graceMs: number; expiresAt?: number; label?: string },
    outer?: Tx,
  ): Promise<{ key: string; prefix: string; partnerId: string; oldPrefix: string; oldExpiresAt: number }> {
    return this.store.transaction((tx) => this.rotateIn(tx, prefix, options), outer);
  }

  private async rotateIn(
    tx: Tx,
    prefix: string,
    options: { graceMs: number; expiresAt?: number; label?: string },
  ): Promise<{ key: string; prefix: string; partnerId: string; oldPrefix: string; oldExpiresAt: number }> {
    const old = await tx.db.selectFrom('gw_api_keys').selectAll().where('prefix', '=', prefix).executeTakeFirst();
    const now = this.clock.now();
    if (!old || old.revoked_at !== null || (old.expires_at !== null && old.expires_at <= now)) {
      throw AuthErrors.unknownKey(`no live API key with prefix ${prefix}`, { path: 'prefix' });
    }
    const scopes = JSON.parse(old.scopes) as string[];
    const label = options.label ?? old.label;
    const created = await this.createApiKey(
      old.partner_id,
      scopes,
      {
        ...(label !== null ? { label } : {}),
        ...(options.expiresAt !== undefined ? { expiresAt: options.expiresAt } : {}),
      },
      tx,
    );
    const graceUntil = now + Math.max(0, options.graceMs);
    const oldExpiresAt = old.expires_at !== null ? Math.min(Number(old.expires_at), graceUntil) : graceUntil;
    await tx.db.updateTable('gw_api_keys').set({ expires_at: oldExpiresAt }).where('prefix', '=', prefix).execute();
    this.forget(prefix, tx);
    return { ...created, partnerId: old.partner_id, oldPrefix: prefix, oldExpiresAt };
  }

  /** Drops a key from the cache now and, when the change is in a transaction, again once it commits. */
  private forget(prefix: string, tx?: Tx): void {
    this.keyCache.delete(prefix);
    tx?.afterCommit(() => this.keyCache.delete(prefix));
  }

  async listApiKeys(partnerId: string) {
    return this.store.db
      .selectFrom('gw_api_keys')
      .select(['prefix', 'label', 'scopes', 'created_at', 'expires_at', 'revoked_at', 'last_used_at'])
      .where('partner_id', '=', partnerId)
      .orderBy('created_at')
      .execute();
  }

  async createClient(partnerId: string, scopes: readonly string[]): Promise<{ clientId: string; clientSecret: string }> {
    if (!(await this.partner(partnerId))) throw AuthErrors.unknownPartner(`no partner ${partnerId}`, { path: 'partner' });
    const clientId = `cdc_${randomToken(12)}`;
    const clientSecret = randomToken(32);
    await this.store.db
      .insertInto('gw_clients')
      .values({
        client_id: clientId,
        partner_id: partnerId,
        secret_hash: hashSecret(clientSecret),
        scopes: JSON.stringify(scopes),
        created_at: this.clock.now(),
        revoked_at: null,
      })
      .execute();
    return { clientId, clientSecret };
  }

  /** OAuth 2.0 client credentials grant (RFC 6749 §4.4): a short-lived JWT for the client's partner. */
  async issueClientToken(
    clientId: string,
    clientSecret: string,
    requested?: string,
  ): Promise<{ access_token: string; token_type: 'Bearer'; expires_in: number; scope: string }> {
    const client = await this.store.db.selectFrom('gw_clients').selectAll().where('client_id', '=', clientId).executeTakeFirst();
    if (!client || client.revoked_at !== null || !sameHash(client.secret_hash, hashSecret(clientSecret))) {
      throw AuthErrors.invalidClient('client authentication failed');
    }
    const granted = JSON.parse(client.scopes) as string[];
    const wanted = requested ? requested.split(' ').filter(Boolean) : granted;
    const refused = wanted.filter((s) => !granted.includes(s));
    if (refused.length > 0) throw AuthErrors.invalidScope(`scope not granted: ${refused.join(' ')}`, { path: 'scope' });
    const now = Math.floor(this.clock.now() / 1000);
    const scope = wanted.join(' ');
    const token = signJwt(
      { iss: 'crossdock', sub: client.partner_id, kind: 'partner', scope, iat: now, exp: now + ACCESS_TOKEN_SECONDS, jti: newId() },
      this.key,
    );
    return { access_token: token, token_type: 'Bearer', expires_in: ACCESS_TOKEN_SECONDS, scope };
  }

  async createUser(username: string, password: string, role: Role, tx?: Tx): Promise<void> {
    if (password.length < 10) throw AuthErrors.forbidden('a password needs at least 10 characters', { path: 'password' });
    const hash = await hashPassword(password);
    await (tx?.db ?? this.store.db)
      .insertInto('gw_users')
      .values({ username, password_hash: hash, role, created_at: this.clock.now(), disabled_at: null })
      .onConflict((oc) => oc.column('username').doNothing())
      .execute();
  }

  /** A console session: a JWT with the user's role, for 8 hours. */
  async login(username: string, password: string): Promise<{ access_token: string; token_type: 'Bearer'; expires_in: number; role: Role }> {
    const user = await this.store.db.selectFrom('gw_users').selectAll().where('username', '=', username).executeTakeFirst();
    if (!user || user.disabled_at !== null || !(await verifyPassword(password, user.password_hash))) {
      throw AuthErrors.unauthenticated('wrong username or password');
    }
    const role = user.role === 'admin' || user.role === 'operator' ? user.role : 'viewer';
    const now = Math.floor(this.clock.now() / 1000);
    const ttl = 8 * 3600;
    const token = signJwt(
      { iss: 'crossdock', sub: username, kind: 'user', scope: '', role, iat: now, exp: now + ttl, jti: newId() },
      this.key,
    );
    return { access_token: token, token_type: 'Bearer', expires_in: ttl, role };
  }

  /** The principal behind an `Authorization` header value, or undefined when it proves nothing. */
  async authenticate(authorization: string | undefined): Promise<Principal | undefined> {
    if (!authorization) return undefined;
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match?.[1]) return undefined;
    const token = match[1];
    const key = KEY_PATTERN.exec(token);
    if (key) return this.verifyApiKey(key[1] ?? '', key[2] ?? '');
    const claims = verifyJwt(token, this.key, Math.floor(this.clock.now() / 1000));
    if (!claims) return undefined;
    if (claims.kind === 'user') {
      const role = claims.role ?? 'viewer';
      return { kind: 'user', username: claims.sub, role, scopes: new Set(ROLE_SCOPES[role]), credential: `token:${claims.jti}` };
    }
    return {
      kind: 'partner',
      partnerId: claims.sub,
      scopes: new Set(claims.scope.split(' ').filter(Boolean)),
      credential: `token:${claims.jti}`,
    };
  }

  private async verifyApiKey(prefix: string, secret: string): Promise<Principal | undefined> {
    const now = this.clock.now();
    const cached = this.keyCache.get(prefix);
    const hash = hashSecret(secret);
    if (cached && cached.until > now) {
      return cached.principal.credential === `key:${prefix}:${hash}` ? cached.principal : undefined;
    }
    const row = await this.store.db.selectFrom('gw_api_keys').selectAll().where('prefix', '=', prefix).executeTakeFirst();
    if (!row || row.revoked_at !== null || (row.expires_at !== null && row.expires_at <= now) || !sameHash(row.secret_hash, hash))
      return undefined;
    const partner = await this.partner(row.partner_id);
    if (partner?.status !== 'active') return undefined;
    const principal: Principal = {
      kind: 'partner',
      partnerId: row.partner_id,
      scopes: new Set(JSON.parse(row.scopes) as string[]),
      credential: `key:${prefix}:${hash}`,
    };
    this.keyCache.set(prefix, { principal, until: Math.min(now + this.keyCacheMs, row.expires_at ?? Number.POSITIVE_INFINITY) });
    await this.store.db.updateTable('gw_api_keys').set({ last_used_at: now }).where('prefix', '=', prefix).execute();
    return principal;
  }
}
