import type { Command } from 'commander';
import { BudgetRegistry } from '../../connectors/sdk/index.js';
import { Availability, loadPolicies, type ResyncProgress, renderProgressLine } from '../../domains/availability/index.js';
import { CrossdockError, silentLogger } from '../../kernel/index.js';
import { openStore } from '../../store/index.js';
import {
  availabilityFilePath,
  buildPublisher,
  DEFAULT_AVAILABILITY_FILE,
  readAvailabilityFile,
} from '../runtime/modules/availability.module.js';
import { type CommonFlags, configFrom, reportError, withStoreFlags } from '../shared.js';

/** Draws progress in place on a terminal; elsewhere (logs, CI) one line per step of 10 %. */
function progressPrinter(out: NodeJS.WriteStream): { update(p: ResyncProgress): void; end(): void } {
  let lastTenth = -1;
  let drawn = false;
  return {
    update(p) {
      const line = renderProgressLine(p);
      if (out.isTTY) {
        out.write(`\r\x1b[2K${line}`);
        drawn = true;
        return;
      }
      const tenth = p.total === 0 ? 10 : Math.floor((p.done / p.total) * 10);
      if (tenth !== lastTenth) {
        lastTenth = tenth;
        out.write(`${line}\n`);
      }
    },
    end() {
      if (drawn) out.write('\n');
    },
  };
}

/** `crossdock availability resync --channel web`: pushes every item's figure to a channel, within its budget. */
export function availabilityCommand(program: Command): void {
  const availability = program.command('availability').description('available to promise: channel publication');

  withStoreFlags(availability.command('resync'))
    .description('push the availability of every item to a channel (Shopify …), within its rate budget')
    .requiredOption('--channel <channel>', 'the channel to push (a key under publish in the availability file)')
    .option('-f, --file <file>', `availability file (default: CROSSDOCK_AVAILABILITY or ${DEFAULT_AVAILABILITY_FILE})`)
    .action(async (flags: { channel: string; file?: string } & CommonFlags) => {
      let close: (() => Promise<void>) | undefined;
      try {
        const config = configFrom(flags);
        const file = availabilityFilePath(flags.file);
        if (file === undefined) {
          throw new CrossdockError(
            'CD_ERR_AVAILABILITY_POLICY',
            'permanent',
            `no availability file: pass --file, set CROSSDOCK_AVAILABILITY or create ${DEFAULT_AVAILABILITY_FILE}`,
            { path: 'file' },
          );
        }
        const setup = readAvailabilityFile(file);
        const target = setup.publish[flags.channel];
        if (target === undefined) {
          const known = Object.keys(setup.publish);
          throw new CrossdockError(
            'CD_ERR_VALIDATION',
            'permanent',
            `--channel: ${flags.channel} is not published (known: ${known.length > 0 ? known.join(', ') : 'none'})`,
            { path: 'channel' },
          );
        }
        const store = openStore(config.store, config.dataDir);
        close = () => store.close();
        await store.migrate();
        const embedded = config.store === 'sqlite' || config.store.startsWith('sqlite:');
        const av = await Availability.open({ store, policies: loadPolicies(setup.policy) });
        const built = buildPublisher(
          av,
          { ...setup, publish: { [flags.channel]: target } },
          {
            store,
            // Shared with the running hubs in cluster mode, so a resync and live pushes stay within one budget.
            budgets: new BudgetRegistry(embedded ? {} : { shared: store }),
            logger: silentLogger(),
          },
        );
        if (!built) return;
        close = async () => {
          await built.close();
          await store.close();
        };
        const printer = progressPrinter(process.stderr);
        const started = Date.now();
        const { pushed, refused } = await built.publisher.resyncChannel(flags.channel, (p) => printer.update(p));
        printer.end();
        process.stdout.write(
          `resynced ${flags.channel}: ${pushed} figures pushed in ${((Date.now() - started) / 1000).toFixed(1)} s${refused.length > 0 ? `, ${refused.length} refused` : ''}\n`,
        );
        for (const r of refused.slice(0, 20))
          process.stderr.write(`refused ${r.item}${r.location ? `@${r.location}` : ''}: ${r.code}: ${r.message}\n`);
        if (refused.length > 20) process.stderr.write(`… and ${refused.length - 20} more refused\n`);
        if (refused.length > 0) process.exitCode = 1;
      } catch (err) {
        reportError(err);
      } finally {
        await close?.();
      }
    });
}
