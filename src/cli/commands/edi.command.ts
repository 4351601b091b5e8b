import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CredentialVault, parseMasterKeys } from '../../connectors/sdk/index.js';
import {
  builtinMaps,
  edifact,
  InboxErrors,
  loadPartnerProfilesFrom,
  PartnerDirectory,
  type PartnerProfile,
  sniffStandard,
  type TranslateOptions,
  type Translation,
  translateEdifact,
  translateX12,
  x12,
} from '../../edi/index.js';
import { Errors, systemClock } from '../../kernel/index.js';
import { AuditLog } from '../../observability/index.js';
import { sftpKeyEntry } from '../runtime/modules/edi.module.js';
import { loadSecrets } from '../runtime/secrets.js';
import { type CommonFlags, configFrom, reportError, withStoreFlags } from '../shared.js';
import { cliActor, withTools } from './admin-shared.js';

const DEFAULT_PARTNERS = 'crossdock.partners.yaml';

function readInput(file: string): { bytes: Buffer; standard: 'x12' | 'edifact' } {
  const bytes = readFileSync(file);
  const standard = sniffStandard(bytes);
  if (!standard) throw InboxErrors.unreadable(`${file}: starts with neither ISA (X12) nor UNA/UNB (EDIFACT)`, { file });
  return { bytes, standard };
}

function x12Where(i: x12.X12Issue): string {
  const parts = [
    i.interchangeControl ? `interchange ${i.interchangeControl}` : '',
    i.groupControl ? `group ${i.groupControl}` : '',
    i.transactionControl ? `transaction ${i.transactionSetId ?? ''} ${i.transactionControl}`.replace('  ', ' ') : '',
    i.segmentTag ? `segment ${i.segmentTag}${i.segmentPosition ? ` at ${i.segmentPosition}` : ''}` : '',
    i.elementPosition ? `element ${String(i.elementPosition).padStart(2, '0')}${i.componentPosition ? `-${i.componentPosition}` : ''}` : '',
    i.line ? `line ${i.line}` : '',
  ];
  return parts.filter((p) => p !== '').join(', ');
}

function edifactIssues(doc: ReturnType<typeof edifact.parseEdifact>): edifact.EdifactIssue[] {
  const issues = [...doc.warnings, ...edifact.validateEnvelope(doc)];
  const registry = new edifact.MessageSpecRegistry();
  for (const ic of doc.interchanges) {
    for (const m of [...ic.messages, ...ic.groups.flatMap((g) => g.messages)]) {
      issues.push(...edifact.validateMessageAuto(m, registry, { decimalMark: ic.separators.decimal }).issues);
    }
  }
  return issues;
}

function partnerFor(flags: { partner?: string; partners?: string }): { directory: PartnerDirectory; partner?: PartnerProfile } {
  const file = flags.partners ?? process.env.CROSSDOCK_EDI_PARTNERS ?? (existsSync(DEFAULT_PARTNERS) ? DEFAULT_PARTNERS : undefined);
  const directory = new PartnerDirectory(file ? loadPartnerProfilesFrom(file) : [], builtinMaps());
  return { directory, ...(flags.partner ? { partner: directory.get(flags.partner) } : {}) };
}

function describeTranslation(t: Translation): Record<string, unknown> {
  return {
    map: t.mapId,
    documentType: t.documentType,
    envelope: t.envelope,
    objects: t.objects,
    ...(t.issues.length > 0 ? { issues: t.issues } : {}),
    ...(t.error ? { error: t.error.toJSON() } : {}),
  };
}

export function ediCommand(program: Command): void {
  const edi = program.command('edi').description('X12 and EDIFACT documents: parse, translate, validate, acknowledge');

  edi
    .command('parse <file>')
    .description('print the document tree (X12 or EDIFACT, sniffed from ISA / UNA / UNB)')
    .option('--json', 'the whole tree as JSON')
    .action((file: string, flags: { json?: boolean }) => {
      try {
        const { bytes, standard } = readInput(file);
        if (standard === 'x12') {
          const doc = x12.parseX12(bytes);
          if (flags.json) {
            process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
            return;
          }
          for (const ix of doc.interchanges) {
            const isa = ix.header;
            const v = (i: number) => (isa ? x12.elementValue(isa, i).trim() : '');
            process.stdout.write(`interchange ${v(13)} from ${v(5)}:${v(6)} to ${v(7)}:${v(8)} (${ix.segments.length} segments)\n`);
            for (const g of ix.groups) {
              process.stdout.write(
                `  group ${g.header ? x12.elementValue(g.header, 6) : '-'} ${g.header ? x12.elementValue(g.header, 1) : ''} ${g.header ? x12.elementValue(g.header, 8) : ''}\n`,
              );
              for (const t of g.transactions) {
                process.stdout.write(`    ${t.id} ${t.control}: ${t.segments.map((s) => s.tag).join(' ')}\n`);
              }
            }
          }
          return;
        }
        const doc = edifact.parseEdifact(bytes);
        if (flags.json) {
          process.stdout.write(
            `${JSON.stringify(
              doc.interchanges.map(({ header: _h, trailer: _t, ...ic }) => ic),
              null,
              2,
            )}\n`,
          );
          return;
        }
        for (const ic of doc.interchanges) {
          process.stdout.write(
            `interchange ${ic.controlRef} from ${ic.sender.id} to ${ic.recipient.id} (${ic.syntaxIdentifier}:${ic.syntaxVersion})\n`,
          );
          for (const m of [...ic.messages, ...ic.groups.flatMap((g) => g.messages)]) {
            process.stdout.write(`  ${m.type} ${m.version}:${m.release} ${m.ref}: ${m.segments.map((s) => s.tag).join(' ')}\n`);
          }
        }
      } catch (err) {
        reportError(err);
      }
    });

  edi
    .command('translate <file>')
    .description('map the document to canonical objects (JSON)')
    .option('-p, --partner <id>', "apply this trading partner's map choices and overrides")
    .option(
      '--partners <path>',
      `partner profiles, a file or a directory (default: $CROSSDOCK_EDI_PARTNERS, else ${DEFAULT_PARTNERS} if present)`,
    )
    .action((file: string, flags: { partner?: string; partners?: string }) => {
      try {
        const { bytes, standard } = readInput(file);
        const { directory, partner } = partnerFor(flags);
        const translate =
          standard === 'x12'
            ? (o: TranslateOptions) => translateX12(x12.parseX12(bytes), o)
            : (o: TranslateOptions) => translateEdifact(edifact.parseEdifact(bytes), o);
        const translations = translate({
          maps: directory.maps,
          ...(partner
            ? {
                partner: partner.id,
                defaultCurrency: partner.defaultCurrency,
                preferredMaps: partner.inbound.flatMap((a) => (a.map ? [a.map] : [])),
                customize: (map) => {
                  const agreement = directory.agreement(partner, 'inbound', map.documentType);
                  return agreement ? directory.mapFor(partner, agreement, 'inbound') : map;
                },
              }
            : {}),
        });
        process.stdout.write(`${JSON.stringify(translations.map(describeTranslation), null, 2)}\n`);
        if (translations.some((t) => t.error)) process.exitCode = 1;
      } catch (err) {
        reportError(err);
      }
    });

  edi
    .command('validate <file>')
    .description('check envelopes and content; exit 1 with each error located (control numbers, segment, element)')
    .action((file: string) => {
      try {
        const { bytes, standard } = readInput(file);
        const lines: string[] = [];
        let errors = 0;
        if (standard === 'x12') {
          const { result } = x12.parseAndValidateX12(bytes);
          for (const i of x12.allIssues(result)) {
            if (i.severity === 'error') errors++;
            lines.push(`${i.severity} ${i.code} ${x12Where(i)}: ${i.message}`);
          }
        } else {
          for (const i of edifactIssues(edifact.parseEdifact(bytes))) {
            if (i.severity === 'error') errors++;
            lines.push(`${i.severity} ${i.code} ${edifact.describeLocation(i.location)}: ${i.message}`);
          }
        }
        process.stdout.write(lines.length > 0 ? `${lines.join('\n')}\n` : '');
        process.stdout.write(errors > 0 ? `${errors} error(s)\n` : 'valid\n');
        if (errors > 0) process.exitCode = 1;
      } catch (err) {
        reportError(err);
      }
    });

  edi
    .command('ack <file>')
    .description('print the acknowledgement crossdock would send (997/999 and TA1, or CONTRL)')
    .option('--kind <kind>', 'X12 functional acknowledgement: 997 or 999', '997')
    .action(async (file: string, flags: { kind: string }) => {
      try {
        const { bytes, standard } = readInput(file);
        if (standard === 'x12') {
          if (flags.kind !== '997' && flags.kind !== '999') throw Errors.validation('--kind: expected 997 or 999', { path: 'kind' });
          const { document, result } = x12.parseAndValidateX12(bytes);
          const delimiters = document.interchanges[0]?.info.delimiters ?? x12.DEFAULT_DELIMITERS;
          const acks = await x12.acknowledge(result, {
            kind: flags.kind,
            now: new Date(systemClock.now()),
            allocator: new x12.InMemoryControlNumberAllocator(),
          });
          for (const a of acks)
            process.stdout.write(
              `${x12.serializeX12(a, { delimiters: { ...delimiters, repetition: flags.kind === '999' ? '^' : delimiters.repetition }, lineEnding: '\n' })}`,
            );
          return;
        }
        const doc = edifact.parseEdifact(bytes);
        const issues = edifactIssues(doc);
        for (const ic of doc.interchanges) {
          const r = await edifact.generateContrl(
            ic,
            issues,
            { allocator: new edifact.InMemoryControlNumberAllocator(), clock: systemClock },
            { lineBreak: 'lf' },
          );
          process.stdout.write(`${r.text}\n`);
        }
      } catch (err) {
        reportError(err);
      }
    });

  const key = edi.command('key').description("partners' SFTP private keys in the credential vault");
  withStoreFlags(key.command('set <name> <file>'))
    .description('seal an SSH private key in the vault; a partner profile names it as privateKeyRef: vault:<name>')
    .action(async (name: string, file: string, flags: CommonFlags) =>
      withTools(flags, async ({ store }) => {
        if (!/^[A-Za-z0-9._-]{1,100}$/.test(name))
          throw Errors.validation(`name "${name}": letters, digits and . _ - only`, { path: 'name' });
        if (!existsSync(file)) throw Errors.validation(`${file} does not exist`, { path: 'file' });
        const pem = readFileSync(file, 'utf8');
        if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) {
          throw Errors.validation(`${file} is not a PEM or OpenSSH private key`, { path: 'file' });
        }
        const config = configFrom(flags);
        const embedded = config.store === 'sqlite' || config.store.startsWith('sqlite:');
        const vault = new CredentialVault(store, parseMasterKeys(loadSecrets(config, embedded).masterKeys));
        const entry = sftpKeyEntry(name);
        await store.transaction(async (tx) => {
          await vault.put(entry.connector, entry.instance, pem, tx);
          await new AuditLog(store).record({ actor: cliActor(), action: 'edi.key.set', resource: `edi/keys/${name}` }, tx);
        });
        process.stdout.write(`key ${name} sealed with master key ${vault.activeKeyId}; use privateKeyRef: vault:${name}\n`);
      }),
    );
}
