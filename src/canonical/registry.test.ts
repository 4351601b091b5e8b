import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { canonicalSchemaIds, exportJsonSchemas, jsonSchemaFiles } from './registry.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('exportJsonSchemas', () => {
  it('writes one draft 2020-12 schema per object plus the envelope and returns their paths', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'crossdock-schemas-'));
    dirs.push(dir);
    const out = join(dir, 'nested', 'schemas');
    const written = await exportJsonSchemas(out);
    expect(written).toHaveLength(17);
    expect((await readdir(out)).sort()).toEqual(written.map((p) => basename(p)).sort());
    expect(written.map((p) => basename(p))).toContain('salesorder.v1.schema.json');
    expect(written.map((p) => basename(p))).toContain('envelope.v1.schema.json');
    const order = JSON.parse(await readFile(join(out, 'salesorder.v1.schema.json'), 'utf8'));
    expect(order.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(order.$id).toBe('urn:crossdock:schema:salesorder.v1');
    expect(order.title).toBe('SalesOrder');
    expect(order.additionalProperties).toBe(false);
    expect(order.required).toEqual(expect.arrayContaining(['id', 'orderDate', 'currency', 'lines']));
    expect(order.required).not.toContain('refs');
    expect(order.$defs.Money.properties.amount.type).toBe('string');
  });
});

describe('jsonSchemaFiles', () => {
  it('names each file after its schema id', () => {
    const files = jsonSchemaFiles();
    expect(files.map((f) => f.id)).toEqual([...canonicalSchemaIds, 'envelope.v1']);
    for (const f of files) expect(f.fileName).toBe(`${f.id}.schema.json`);
  });
});
