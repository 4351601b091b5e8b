import type { Command } from 'commander';
import { configFrom, reportError } from '../shared.js';

function redact(spec: string): string {
  return spec.replace(/(\/\/[^:/@]+:)[^@]+@/, '$1***@');
}

export function configCommand(program: Command): void {
  const config = program.command('config').description('configuration');
  config
    .command('check')
    .description('validate the config file and CROSSDOCK_* environment; print the effective config')
    .option('-c, --config <file>', 'config file (default: crossdock.config.yaml if present)')
    .option('-d, --data <dir>', 'data directory')
    .action((flags: { config?: string; data?: string }) => {
      try {
        const effective = configFrom(flags);
        const shown = { ...effective, store: redact(effective.store), bus: redact(effective.bus) };
        process.stdout.write(`config ok\n${JSON.stringify(shown, null, 2)}\n`);
      } catch (err) {
        reportError(err);
      }
    });
}
