import type { Command } from 'commander';
import { startSummaryPrinter } from '../runtime/demo-summary.js';
import { startHub } from '../runtime/hub.js';
import { configFrom, parseIntFlag, reportError, withStoreFlags } from '../shared.js';

export function startCommand(program: Command): void {
  withStoreFlags(program.command('start'))
    .description('start a hub: embedded (SQLite in --data) by default, or on PostgreSQL with --store')
    .option('-p, --port <n>', 'HTTP port of the gateway (default 7070; 0 picks a free port)')
    .option('--host <host>', 'address to listen on (default 127.0.0.1)')
    .option('--bus <url>', 'event log: embedded (default) or nats://…')
    .option('--demo', 'run the demo network of simulated systems beside the hub')
    .action(
      async (flags: { config?: string; data?: string; store?: string; port?: string; host?: string; bus?: string; demo?: boolean }) => {
        try {
          const config = configFrom(flags, {
            port: flags.port !== undefined ? parseIntFlag('port', flags.port) : undefined,
            host: flags.host,
            bus: flags.bus,
            demo: flags.demo,
          });
          const hub = await startHub(config, { handleSignals: true });
          process.stdout.write(
            `crossdock ${hub.url}  (health ${hub.url}/health, metrics ${hub.url}/metrics; store ${hub.store.location})\n` +
              'press Ctrl+C to stop\n',
          );
          const demo = hub.services.demo;
          if (demo) {
            process.stdout.write(
              `demo: simulated Shopify, NetSuite, WMS, Salesforce, Odoo and a supplier portal are running; ${demo.traffic.rate} orders/s\n` +
                `systems shopify ${demo.network.shopify.url} netsuite ${demo.network.netsuite.url} ` +
                `wms ${demo.network.wms.url} salesforce ${demo.network.salesforce.url} ` +
                `odoo ${demo.network.odoo.url} supplier ${demo.network.supplier.url}\n` +
                `console ${hub.url}/  ${demo.login ? `(log in as ${demo.login.username}, password ${demo.login.password}) ` : ''}` +
                `API ${hub.url}/v1/demo, guide docs/demo.md\n`,
            );
            const stopSummary = startSummaryPrinter({ stats: demo.stats, out: process.stdout });
            hub.lifecycle.onStop('demo-summary', stopSummary);
          }
        } catch (err) {
          reportError(err);
        }
      },
    );
}
