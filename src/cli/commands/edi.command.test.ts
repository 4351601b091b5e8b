import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/cli.js';
import { ediCommand } from './edi.command.js';

/** Runs `crossdock <args>` in this process (the subprocess runs below prove the real binary's exit codes). */
async function inProcess(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const program = new Command().exitOverride();
  ediCommand(program);
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const saved = process.exitCode;
  process.exitCode = 0;
  process.stdout.write = (chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  };
  process.stderr.write = (chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  };
  try {
    await program.parseAsync(['node', 'crossdock', ...args]);
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = saved;
  return { code, stdout, stderr };
}

const samples = resolve(process.cwd(), '../shared/fixtures/public-samples');
const x12 = (f: string) => join(samples, 'x12', f);

describe('crossdock edi', () => {
  it('parse prints the X12 tree and the EDIFACT tree, sniffing the standard', async () => {
    const r = await inProcess(['edi', 'parse', x12('node-x12__855.edi')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('interchange 000000005 from ZZ:1556150 to ZZ:123MILL');
    expect(r.stdout).toContain('855 0005: ST BAK CUR');
    const e = await inProcess(['edi', 'parse', join(samples, 'edifact', 'staedi__invoic_d97b.edi'), '--json']);
    expect(e.code).toBe(0);
    expect(JSON.parse(e.stdout)[0]).toMatchObject({ controlRef: '00000000000778', sender: { id: '005435656' } });
  });

  it('translate prints canonical objects, with a partner override applied', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cd-edi-cli-'));
    const partners = join(dir, 'partners.yaml');
    writeFileSync(
      partners,
      [
        'partners:',
        '  - id: xyz',
        '    standard: x12',
        '    x12: { ours: { qualifier: "01", id: "999999999" }, theirs: { qualifier: "01", id: "ABCCO" }, version: "004010" }',
        '    inbound:',
        '      - type: "850"',
        '        overrides: [{ field: lines.quantity.uom, codes: { EA: C62 } }]',
      ].join('\n'),
    );
    const r = await inProcess(['edi', 'translate', x12('node-x12__850.edi'), '--partner', 'xyz', '--partners', partners]);
    expect(r.code, r.stderr).toBe(0);
    const [t] = JSON.parse(r.stdout);
    expect(t.objects[0].schema).toBe('salesorder.v1');
    expect(t.objects[0].data.lines[0].quantity).toEqual({ value: '120', uom: 'C62' });
    const e = await inProcess(['edi', 'translate', join(samples, 'edifact', 'vscode-edi-support__DESADV.edifact')]);
    expect(e.code, e.stderr).toBe(0);
    expect(JSON.parse(e.stdout)[0]).toMatchObject({
      map: 'edifact.desadv.advanceshipnotice',
      objects: [{ schema: 'advanceshipnotice.v1' }],
    });
  });

  it('validate exits 1 naming control numbers, segment position and tag, and element', () => {
    const r = runCli(['edi', 'validate', x12('x12-types___855_test__test_855_1.edi')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'error CD_ERR_X12_ELEMENT interchange 000122406, group 3152, transaction 855 3152, segment PO1 at 3, element 10, line 5: PO110 is 6 characters, at most 2 allowed',
    );
  });

  it('validate names the EDIFACT segment and element and exits 1', async () => {
    const r = await inProcess(['edi', 'validate', join(samples, 'edifact', 'staedi__orders-with-group.edi')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('error CD_ERR_EDIFACT_ENVELOPE interchange 2722166169492, group 1, message 1, segment 18 (UNT), element 1');
    const ok = await inProcess(['edi', 'validate', join(samples, 'edifact', 'vscode-edi-support__sample-orders.edifact')]);
    expect(ok).toMatchObject({ code: 0, stdout: 'valid\n' });
  });

  it('ack prints the 997 it would send, and a CONTRL for EDIFACT', async () => {
    const r = await inProcess(['edi', 'ack', x12('x12-types___855_test__test_855_1.edi')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('AK3*PO1*3');
    expect(r.stdout).toContain('AK5*R');
    const c = await inProcess(['edi', 'ack', join(samples, 'edifact', 'staedi__invoic_d97b.edi')]);
    expect(c.stdout).toContain('UCI+00000000000778+005435656:1+006415160:1+7');
    const bad = runCli(['edi', 'validate', join(samples, 'README.md')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('CD_ERR_EDI_UNREADABLE');
  });
});
