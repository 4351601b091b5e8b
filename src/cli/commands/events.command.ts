import type { Command } from 'commander';
import type { StoredEvent } from '../../eventlog/index.js';
import { sleep } from '../../kernel/index.js';
import { type CommonFlags, configFrom, openTools, parseIntFlag, parseTimeFlag, reportError, table, withStoreFlags } from '../shared.js';

function line(e: StoredEvent): string {
  const env = e.envelope;
  return `${new Date(e.publishedAt).toISOString()}  ${e.topic}/${e.partition}@${e.offset}  ${env.type}  ${env.subject ?? env.partitionkey}  corr=${env.correlationid}`;
}

export function eventsCommand(program: Command): void {
  const events = program.command('events').description('read and replay the event log');

  withStoreFlags(events.command('tail'))
    .description('print the newest events of a topic; --follow keeps printing new ones')
    .requiredOption('-t, --topic <topic>', 'topic to read')
    .option('-n, --limit <n>', 'how many of the newest events', '20')
    .option('-k, --key <key>', 'only events with this partition key')
    .option('--correlation <id>', 'only events of this business transaction')
    .option('-f, --follow', 'keep printing new events until interrupted')
    .option('--json', 'print whole envelopes as JSON lines')
    .action(
      async (
        flags: { topic: string; limit: string; key?: string; correlation?: string; follow?: boolean; json?: boolean } & CommonFlags,
      ) => {
        let close: (() => Promise<void>) | undefined;
        try {
          const config = configFrom(flags);
          const tools = await openTools(config);
          close = tools.close;
          const print = (e: StoredEvent) =>
            process.stdout.write(
              `${flags.json ? JSON.stringify({ ...e.envelope, _offset: e.offset, _partition: e.partition }) : line(e)}\n`,
            );
          const filter = {
            ...(flags.key !== undefined ? { key: flags.key } : {}),
            ...(flags.correlation !== undefined ? { correlationid: flags.correlation } : {}),
          };
          const first = await tools.eventlog.read(flags.topic, { ...filter, limit: parseIntFlag('limit', flags.limit), newest: true });
          first.forEach(print);
          if (!flags.follow) return;
          const seen = new Set(first.map((e) => e.envelope.id));
          let since = first.at(-1)?.publishedAt ?? Date.now();
          const stop = new AbortController();
          process.once('SIGINT', () => stop.abort());
          while (!stop.signal.aborted) {
            await sleep(500, stop.signal);
            const fresh = await tools.eventlog.read(flags.topic, { ...filter, fromTime: since, limit: 1000 });
            for (const e of fresh) {
              if (seen.has(e.envelope.id)) continue;
              seen.add(e.envelope.id);
              since = Math.max(since, e.publishedAt);
              print(e);
            }
          }
        } catch (err) {
          reportError(err);
        } finally {
          await close?.();
        }
      },
    );

  withStoreFlags(events.command('replay'))
    .description('deliver a topic’s events to a consumer group again, from an offset (one partition) or a time')
    .requiredOption('-g, --group <group>', 'consumer group')
    .requiredOption('-t, --topic <topic>', 'topic')
    .option('-p, --partition <n>', 'one partition (needed with --from-offset)')
    .option('--from-offset <n>', 'first offset to deliver again')
    .option('--from-time <iso>', 'deliver again every event published at or after this time')
    .action(async (flags: { group: string; topic: string; partition?: string; fromOffset?: string; fromTime?: string } & CommonFlags) => {
      let close: (() => Promise<void>) | undefined;
      try {
        const config = configFrom(flags);
        const tools = await openTools(config);
        close = tools.close;
        const result = await tools.eventlog.replay({
          group: flags.group,
          topic: flags.topic,
          ...(flags.partition !== undefined ? { partition: parseIntFlag('partition', flags.partition) } : {}),
          ...(flags.fromOffset !== undefined ? { fromOffset: parseIntFlag('from-offset', flags.fromOffset) } : {}),
          ...(flags.fromTime !== undefined ? { fromTime: parseTimeFlag('from-time', flags.fromTime) } : {}),
        });
        if (result.events === 0) {
          process.stdout.write('nothing to replay: the group has not read past that point\n');
          return;
        }
        process.stdout.write(
          `${table(
            ['partition', 'from', 'to'],
            result.partitions.map((p) => [String(p.partition), String(p.from), String(p.to)]),
          )}\n${result.events} events will be delivered to ${flags.group} again\n`,
        );
      } catch (err) {
        reportError(err);
      } finally {
        await close?.();
      }
    });
}
