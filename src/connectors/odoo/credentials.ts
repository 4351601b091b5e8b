import { z } from 'zod';
import { defineCredentials } from '../sdk/index.js';
import { login } from './transport.js';

/** A database, a login and its password or (Odoo 14+) an API key, which works wherever the password does. */
export const odooCredentialsSchema = z.object({
  database: z.string().min(1),
  login: z.string().min(1),
  /** Preferences → Account Security → New API Key; a password also works. */
  apiKey: z.string().min(1),
});
export type OdooCredentials = z.output<typeof odooCredentialsSchema>;

export const odooCredentials = defineCredentials<OdooCredentials>({
  kind: 'odoo-api-key',
  schema: odooCredentialsSchema,
  // The key travels inside every JSON-RPC call's arguments, not in a header: nothing to apply.
  applier: () => ({ apply() {} }),
  async test(ctx) {
    await login(ctx, { fresh: true });
  },
});
