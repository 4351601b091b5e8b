/**
 * Writes the v1 JSON Schema snapshot the compatibility test compares against:
 *   npx tsx src/canonical/snapshot.ts           refuses if the model no longer accepts what the snapshot did
 *   npx tsx src/canonical/snapshot.ts --force   overwrites anyway (only when starting a new major version)
 * Commit the result with the model change.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { checkSchemaSet } from './compat.js';
import { serializeSchema } from './registry.js';
import { currentSchemaMap, guardedSchemaFiles, readSchemaDir, SNAPSHOT_DIR } from './schema-files.js';

function main(argv: readonly string[]): number {
  const force = argv.includes('--force');
  const previous = readSchemaDir(SNAPSHOT_DIR);
  const issues = checkSchemaSet(previous, currentSchemaMap());
  if (issues.length > 0) {
    for (const i of issues) process.stderr.write(`${i.file} ${i.path}: ${i.rule}: ${i.message}\n`);
    if (!force) {
      process.stderr.write(
        `${issues.length} backward-incompatible change(s); snapshot not written (use --force only for a new major version)\n`,
      );
      return 1;
    }
  }
  const files = guardedSchemaFiles();
  const current = new Set(files.map((f) => f.fileName));
  for (const name of previous.keys()) {
    if (!current.has(name)) rmSync(join(SNAPSHOT_DIR, name));
  }
  let changed = 0;
  for (const file of files) {
    const path = join(SNAPSHOT_DIR, file.fileName);
    mkdirSync(dirname(path), { recursive: true });
    const text = serializeSchema(file.schema);
    if (JSON.stringify(previous.get(file.fileName)) !== JSON.stringify(file.schema)) changed++;
    writeFileSync(path, text, 'utf8');
  }
  // The snapshot sits under src/, which biome formats; format it here so `biome check` stays clean.
  execFileSync('npx', ['biome', 'format', '--write', SNAPSHOT_DIR], { stdio: 'ignore' });
  process.stdout.write(`${files.length} schemas in ${SNAPSHOT_DIR} (${changed} new or changed)\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
