import type { Command } from 'commander';
import { exportJsonSchemas } from '../../canonical/index.js';
import { reportError } from '../shared.js';

export function schemasCommand(program: Command): void {
  const schemas = program.command('schemas').description('canonical object schemas');
  schemas
    .command('export <dir>')
    .description('write the JSON Schema (draft 2020-12) of every canonical object and the event envelope to DIR')
    .action(async (dir: string) => {
      try {
        const files = await exportJsonSchemas(dir);
        process.stdout.write(`${files.length} schemas written to ${dir}\n${files.map((f) => `  ${f}`).join('\n')}\n`);
      } catch (err) {
        reportError(err);
      }
    });
}
