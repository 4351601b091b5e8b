import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { isJsonSchema, type JsonSchema } from './compat.js';
import { canonicalEvents } from './events.js';
import { jsonSchemaFiles, type SchemaFile, toJsonSchema } from './registry.js';

/** Where the committed v1 snapshot lives. */
export const SNAPSHOT_DIR = join(import.meta.dirname, '__snapshots__', 'v1');

/**
 * Everything the compatibility test guards: each object's schema, the envelope's, and each event type's
 * data schema (`events/<type>.schema.json`, `$id` = the type's `dataschema`).
 */
export function guardedSchemaFiles(): SchemaFile[] {
  const events = canonicalEvents.map((t) => ({
    id: t.type,
    fileName: `events/${t.type}.schema.json`,
    schema: { ...toJsonSchema(t.type, t.schema), $id: t.dataschema, description: t.description },
  }));
  return [...jsonSchemaFiles(), ...events];
}

function asJsonSchema(value: unknown, file: string): JsonSchema {
  if (isJsonSchema(value)) return value;
  throw new Error(`${file} is not a JSON Schema`);
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : name.endsWith('.schema.json') ? [p] : [];
  });
}

/** The snapshot's schemas by file name (relative, `/`-separated); empty when the directory is missing. */
export function readSchemaDir(dir: string): Map<string, JsonSchema> {
  const out = new Map<string, JsonSchema>();
  let files: string[];
  try {
    files = walk(dir);
  } catch {
    return out;
  }
  for (const file of files.sort()) {
    const name = relative(dir, file).split(sep).join('/');
    out.set(name, asJsonSchema(JSON.parse(readFileSync(file, 'utf8')), name));
  }
  return out;
}

export function currentSchemaMap(): Map<string, JsonSchema> {
  return new Map(guardedSchemaFiles().map((f) => [f.fileName, f.schema]));
}
