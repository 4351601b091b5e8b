import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSchemaSet } from './compat.js';
import { canonicalEventTypes } from './events.js';
import { canonicalSchemaMap, isCanonicalSchemaId } from './registry.js';
import { currentSchemaMap, readSchemaDir, SNAPSHOT_DIR } from './schema-files.js';
import { JsonSchemaArbitrary } from './testing/json-schema-arbitrary.js';

/**
 * The v1 compatibility gate (docs/canonical.md): the model may only grow in ways that keep accepting
 * every document the committed snapshot accepted. Regenerate with `npx tsx src/canonical/snapshot.ts`.
 */
const snapshot = readSchemaDir(SNAPSHOT_DIR);
const current = currentSchemaMap();

describe('v1 snapshot', () => {
  it('covers every current schema (run snapshot.ts after adding one)', () => {
    expect([...current.keys()].filter((name) => !snapshot.has(name))).toEqual([]);
    expect(snapshot.size).toBeGreaterThanOrEqual(17);
  });

  it('is still accepted by the current model: no backward-incompatible change', () => {
    const issues = checkSchemaSet(snapshot, current).map((i) => `${i.file} ${i.path}: ${i.rule}: ${i.message}`);
    expect(issues).toEqual([]);
  });
});

/**
 * Documents generated from the snapshot's JSON Schemas must parse with the current zod schemas. Issues
 * of code `custom` come from refinements JSON Schema cannot express (at least one identifier on a
 * reference, a known time zone); those are fixed for v1 and tested in objects.test.ts.
 */
describe('data the snapshot accepts still parses', () => {
  const objectSchemas = new Set<unknown>(Object.values(canonicalSchemaMap));
  for (const [name, schema] of snapshot) {
    if (name === 'envelope.v1.schema.json') continue;
    const id = name.replace(/^events\//, '').replace(/\.schema\.json$/, '');
    const zodSchema = isCanonicalSchemaId(id) ? canonicalSchemaMap[id] : canonicalEventTypes[id]?.schema;
    // An event whose data is a whole object is covered by that object's run.
    if (name.startsWith('events/') && objectSchemas.has(zodSchema)) continue;
    it(`${id}`, () => {
      expect(zodSchema, `no current schema for ${id}`).toBeDefined();
      if (!zodSchema) return;
      const arbitrary = new JsonSchemaArbitrary(schema).of();
      fc.assert(
        fc.property(arbitrary, (doc) => {
          const result = zodSchema.safeParse(doc);
          const structural = result.success ? [] : result.error.issues.filter((i) => i.code !== 'custom');
          expect(structural.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([]);
        }),
        { numRuns: 20, seed: 7 },
      );
    });
  }
});
