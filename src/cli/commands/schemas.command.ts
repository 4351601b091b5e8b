import type { Command } from 'commander';
import { reportError } from '../shared.js';

export function schemasCommand(program: Command): void {
  const schemas = program.command('schemas').description('canonical object schemas');
  schemas
    .command('export <dir>')
    .description('write the JSON Schema (draft 2020-12) of every canonical object and the event envelope to DIR')
    .action(async (dir: string) => {
      try {
        const canonical = await import('../../canonical/index.js');
        if (!('exportJsonSchemas' in canonical) || typeof canonical.exportJsonSchemas !== 'function') {
          throw new Error('schema export is not available in this build');
        }
        const files: unknown = await canonical.exportJsonSchemas(dir);
        const list = Array.isArray(files) ? files.map(String) : [];
        process.stdout.write(`${list.length} schemas written to ${dir}\n${list.map((f) => `  ${f}`).join('\n')}\n`);
      } catch (err) {
        reportError(err);
      }
    });
}
