import { storeContract } from './store.contract.js';
import { freshPostgresStore } from './testing/postgres.js';

storeContract('postgres', async () => {
  const { store, drop } = await freshPostgresStore();
  return { store, cleanup: drop };
});
