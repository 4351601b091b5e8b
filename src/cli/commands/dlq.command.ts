import type { Command } from 'commander';
import { CrossdockError } from '../../kernel/index.js';
import { type CommonFlags, configFrom, openTools, parseIntFlag, reportError, table, withStoreFlags } from '../shared.js';

export function dlqCommand(program: Command): void {
  const dlq = program.command('dlq').description('dead letters: events that failed for good');

  withStoreFlags(dlq.command('list'))
    .description('list dead letters not yet re-driven')
    .option('-g, --group <group>', 'only this consumer group')
    .option('-t, --topic <topic>', 'only this topic')
    .option('--all', 'include dead letters already re-driven')
    .option('--json', 'print JSON lines, with envelope and attempt history')
    .action(async (flags: { group?: string; topic?: string; all?: boolean; json?: boolean } & CommonFlags) => {
      let close: (() => Promise<void>) | undefined;
      try {
        const tools = await openTools(configFrom(flags));
        close = tools.close;
        const letters = await tools.eventlog.listDeadLetters({
          ...(flags.group !== undefined ? { group: flags.group } : {}),
          ...(flags.topic !== undefined ? { topic: flags.topic } : {}),
          includeRedriven: flags.all ?? false,
        });
        if (flags.json) {
          for (const l of letters) process.stdout.write(`${JSON.stringify(l)}\n`);
          return;
        }
        if (letters.length === 0) {
          process.stdout.write('no dead letters\n');
          return;
        }
        process.stdout.write(
          `${table(
            ['id', 'group', 'topic', 'key', 'type', 'attempts', 'error', 'dead at'],
            letters.map((l) => [
              String(l.id),
              l.group,
              `${l.topic}/${l.partition}@${l.offset}`,
              l.key,
              l.type,
              String(l.attempts),
              `${l.errorCode}: ${l.errorMessage}`.slice(0, 80),
              new Date(l.deadAt).toISOString(),
            ]),
          )}\n`,
        );
      } catch (err) {
        reportError(err);
      } finally {
        await close?.();
      }
    });

  withStoreFlags(dlq.command('redrive'))
    .description('send dead letters back to their consumer group (each retried from attempt 1)')
    .option('--id <ids...>', 'dead letter ids (from dlq list)')
    .option('-g, --group <group>', 'every dead letter of this group')
    .option('-t, --topic <topic>', 'every dead letter of this topic')
    .option('--all', 'every dead letter')
    .action(async (flags: { id?: string[]; group?: string; topic?: string; all?: boolean } & CommonFlags) => {
      let close: (() => Promise<void>) | undefined;
      try {
        if (!flags.id && !flags.group && !flags.topic && !flags.all) {
          throw new CrossdockError('CD_ERR_VALIDATION', 'permanent', 'say which dead letters: --id, --group, --topic, or --all', {
            path: 'id',
          });
        }
        const tools = await openTools(configFrom(flags));
        close = tools.close;
        const count = await tools.eventlog.redrive({
          ...(flags.id ? { ids: flags.id.map((i) => parseIntFlag('id', i)) } : {}),
          ...(flags.group !== undefined ? { group: flags.group } : {}),
          ...(flags.topic !== undefined ? { topic: flags.topic } : {}),
        });
        process.stdout.write(`${count} dead letter${count === 1 ? '' : 's'} re-driven\n`);
      } catch (err) {
        reportError(err);
      } finally {
        await close?.();
      }
    });
}
