import { C, defineMessageSpec, G, M, type MessageSpec, type StructureEntry } from './spec.format.js';
import { SEGMENTS_CONTRL_3, SEGMENTS_CONTRL_4, SEGMENTS_D01B, SEGMENTS_D96A } from './spec.segments.js';

/**
 * Message structures for the segments distribution EDI uses, after the UN/EDIFACT D.96A and D.01B
 * message directories (ORDERS, ORDRSP, DESADV, INVOIC, INVRPT) and ISO 9735-4 (CONTRL). Groups not
 * listed are not accepted: a partner sending them gets 0085 code 15. D.01B structures keep the
 * D.96A order for the covered segments (the two directories agree there) and add the D.01B header
 * groups seen in EANCOM 2002 (AJT, TDT with RFF).
 */
const rffDtm = (name: string, max: number) => G(name, 'C', max, [M('RFF'), C('DTM', 5)]);
const ctaCom = (name: string) => G(name, 'C', 5, [M('CTA'), C('COM', 5)]);
const nadGroup = (name: string, max: number, nested: StructureEntry[]) =>
  G(name, 'C', max, [M('NAD'), C('LOC', 25), C('FII', 5), ...nested]);
const taxMoa = (name: string, max: number) => G(name, 'C', max, [M('TAX'), C('MOA', 2), C('LOC', 5)]);
const alcGroup = (name: string, max: number) =>
  G(name, 'C', max, [
    M('ALC'),
    C('ALI', 5),
    C('DTM', 5),
    C('FTX', 5),
    rffDtm(`${name}.RFF`, 5),
    G(`${name}.QTY`, 'C', 5, [M('QTY'), C('RNG')]),
    G(`${name}.PCD`, 'C', 5, [M('PCD'), C('RNG')]),
    G(`${name}.MOA`, 'C', 9, [M('MOA'), C('RNG'), C('CUX'), C('DTM')]),
    G(`${name}.RTE`, 'C', 5, [M('RTE'), C('RNG')]),
    G(`${name}.TAX`, 'C', 5, [M('TAX'), C('MOA', 2)]),
  ]);
const pacGroup = (name: string, max: number) =>
  G(name, 'C', max, [
    M('PAC'),
    C('MEA', 10),
    C('QTY', 5),
    C('DTM', 5),
    rffDtm(`${name}.RFF`, 10),
    G(`${name}.PCI`, 'C', 10, [M('PCI'), C('RFF'), C('DTM', 5), C('GIN', 10)]),
  ]);
const tdtGroup = (name: string) =>
  G(name, 'C', 10, [M('TDT'), C('TSR'), G(`${name}.LOC`, 'C', 10, [M('LOC'), C('DTM', 5)]), rffDtm(`${name}.RFF`, 10)]);
const todGroup = (name: string) => G(name, 'C', 5, [M('TOD'), C('LOC', 2)]);
const scc = (name: string) => G(name, 'C', 100, [M('SCC'), C('FTX', 5), C('RFF', 5), G(`${name}.QTY`, 'C', 100, [M('QTY'), C('DTM', 5)])]);
const priGroup = (name: string) => G(name, 'C', 25, [M('PRI'), C('CUX'), C('APR'), C('RNG'), C('DTM', 5)]);
const patGroup = (name: string) => G(name, 'C', 10, [M('PAT'), C('DTM', 5), C('PCD'), C('MOA'), C('PAI'), C('FII')]);

/** ORDERS and ORDRSP share their layout for the covered segments. */
function orderStructure(): StructureEntry[] {
  return [
    M('UNH'),
    M('BGM'),
    M('DTM', 35),
    C('PAI'),
    C('ALI', 5),
    C('IMD', 999),
    C('FTX', 99),
    rffDtm('SG1', 9999),
    nadGroup('SG2', 99, [rffDtm('SG3', 10), G('SG4', 'C', 5, [M('DOC'), C('DTM', 5)]), ctaCom('SG5')]),
    taxMoa('SG6', 5),
    G('SG7', 'C', 5, [M('CUX'), C('PCD', 5), C('DTM', 5)]),
    patGroup('SG8'),
    tdtGroup('SG9'),
    todGroup('SG11'),
    pacGroup('SG12', 99),
    scc('SG15'),
    alcGroup('SG18', 15),
    G('SG24', 'C', 25, [M('RCS'), C('RFF', 5), C('DTM', 5), C('FTX', 5)]),
    G('SG25', 'C', 200000, [
      M('LIN'),
      C('PIA', 25),
      C('IMD', 99),
      C('MEA', 99),
      C('QTY', 99),
      C('PCD', 5),
      C('ALI', 5),
      C('DTM', 35),
      C('MOA', 10),
      C('GIN', 127),
      C('QVR'),
      C('FTX', 99),
      patGroup('SG27'),
      priGroup('SG28'),
      rffDtm('SG29', 10),
      pacGroup('SG30', 10),
      G('SG33', 'C', 9999, [M('LOC'), C('QTY'), C('DTM', 5)]),
      taxMoa('SG34', 10),
      nadGroup('SG35', 999, [rffDtm('SG36', 5), ctaCom('SG38')]),
      alcGroup('SG39', 15),
      tdtGroup('SG45'),
      todGroup('SG47'),
      scc('SG49'),
    ]),
    M('UNS'),
    C('MOA', 12),
    C('CNT', 10),
    G('SG54', 'C', 10, [M('ALC'), C('ALI'), C('MOA', 2)]),
    M('UNT'),
  ];
}

function invoicStructure(d01b: boolean): StructureEntry[] {
  return [
    M('UNH'),
    M('BGM'),
    M('DTM', 35),
    C('PAI'),
    C('ALI', 5),
    C('IMD'),
    C('FTX', 99),
    C('LOC', 10),
    rffDtm('SG1', 99999),
    nadGroup('SG2', 99, [rffDtm('SG3', 9999), G('SG4', 'C', 5, [M('DOC'), C('DTM', 5)]), ctaCom('SG5')]),
    taxMoa('SG6', 5),
    G('SG7', 'C', 5, [M('CUX'), C('PCD', 5), C('DTM', 5)]),
    patGroup('SG8'),
    tdtGroup('SG10'),
    todGroup('SG12'),
    pacGroup('SG13', 1000),
    alcGroup('SG15', 9999),
    G('SG22', 'C', 100, [M('RCS'), C('RFF', 5), C('DTM', 5), C('FTX', 5)]),
    ...(d01b ? [G('SG23', 'C', 1, [M('AJT'), C('FTX', 5)]), G('SG24', 'C', 1, [M('INP'), C('FTX', 5)])] : []),
    G('SG26', 'C', 9999999, [
      M('LIN'),
      C('PIA', 25),
      C('IMD', 10),
      C('MEA', 5),
      C('QTY', 5),
      C('PCD'),
      C('ALI', 5),
      C('DTM', 35),
      C('GIN', 1000),
      C('GIR', 1000),
      C('QVR'),
      C('EQD'),
      C('FTX', 5),
      G('SG27', 'C', 25, [M('MOA'), C('QTY'), C('CUX')]),
      patGroup('SG28'),
      priGroup('SG29'),
      rffDtm('SG30', 10),
      pacGroup('SG31', 10),
      G('SG33', 'C', 9999, [M('LOC'), C('QTY', 100), C('DTM')]),
      taxMoa('SG34', 99),
      nadGroup('SG35', 99, [rffDtm('SG36', 5), G('SG37', 'C', 5, [M('DOC'), C('DTM', 5)]), ctaCom('SG38')]),
      alcGroup('SG39', 30),
      tdtGroup('SG45'),
      todGroup('SG47'),
    ]),
    M('UNS'),
    C('CNT', 10),
    G('SG48', 'M', 100, [M('MOA'), rffDtm('SG49', 1)]),
    G('SG50', 'C', 10, [M('TAX'), C('MOA', 2)]),
    G('SG51', 'C', 15, [M('ALC'), C('ALI'), C('MOA', 2)]),
    M('UNT'),
  ];
}

function desadvStructure(): StructureEntry[] {
  return [
    M('UNH'),
    M('BGM'),
    M('DTM', 10),
    C('ALI', 5),
    C('MEA', 5),
    C('MOA', 5),
    rffDtm('SG1', 10),
    nadGroup('SG2', 99, [rffDtm('SG3', 10), ctaCom('SG4')]),
    todGroup('SG5'),
    tdtGroup('SG6'),
    G('SG8', 'C', 999, [M('EQD'), C('MEA', 5), C('SEL', 25), C('EQA', 5), C('HAN', 5)]),
    G('SG10', 'C', 9999, [
      M('CPS'),
      C('FTX', 5),
      G('SG11', 'C', 9999, [
        M('PAC'),
        C('MEA', 10),
        C('QTY', 10),
        G('SG12', 'C', 10, [M('HAN'), C('FTX', 5)]),
        G('SG13', 'C', 1000, [M('PCI'), C('RFF'), C('DTM', 5), C('GIR', 99), G('SG14', 'C', 99999, [M('GIN'), C('DLM', 100)])]),
      ]),
      G('SG15', 'C', 9999, [
        M('LIN'),
        C('PIA', 10),
        C('IMD', 25),
        C('MEA', 10),
        C('QTY', 10),
        C('ALI', 10),
        C('GIN', 100),
        C('GIR', 100),
        C('DLM', 100),
        C('DTM', 5),
        C('FTX', 5),
        C('MOA', 5),
        rffDtm('SG16', 10),
        G('SG18', 'C', 100, [M('LOC'), C('NAD'), C('DTM'), C('QTY', 10)]),
        G('SG20', 'C', 1000, [M('PCI'), C('DTM', 5), C('MEA', 10), C('QTY', 10), G('SG21', 'C', 99, [M('GIN'), C('DLM', 100)])]),
        G('SG22', 'C', 10, [M('QVR'), C('DTM')]),
      ]),
    ]),
    C('CNT', 10),
    M('UNT'),
  ];
}

function invrptStructure(): StructureEntry[] {
  return [
    M('UNH'),
    M('BGM'),
    M('DTM', 5),
    C('FTX', 5),
    rffDtm('SG1', 10),
    nadGroup('SG2', 99, [ctaCom('SG3')]),
    G('SG4', 'C', 5, [M('CUX'), C('DTM', 5)]),
    G('SG5', 'C', 9999, [
      M('LIN'),
      C('PIA', 10),
      C('IMD', 10),
      C('MEA', 10),
      C('QTY', 10),
      C('ALI', 10),
      C('DTM', 5),
      C('FTX', 5),
      C('MOA', 10),
      priGroup('SG6'),
      G('SG9', 'C', 99999, [
        M('INV'),
        C('QTY', 10),
        C('DTM', 5),
        C('FTX', 5),
        rffDtm('SG10', 10),
        nadGroup('SG11', 10, []),
        G('SG12', 'C', 9999, [M('LOC'), C('QTY', 10), C('DTM', 5)]),
      ]),
    ]),
    C('CNT', 5),
    M('UNT'),
  ];
}

function contrlStructure(): StructureEntry[] {
  const ucs = (name: string) => G(name, 'C', 999, [M('UCS'), C('UCD', 99)]);
  return [
    M('UNH'),
    M('UCI'),
    G('SG1', 'C', 999999, [M('UCM'), ucs('SG2')]),
    G('SG3', 'C', 999999, [M('UCF'), G('SG4', 'C', 999999, [M('UCM'), ucs('SG5')])]),
    M('UNT'),
  ];
}

function forDirectory(release: '96A' | '01B'): MessageSpec[] {
  const segments = release === '96A' ? SEGMENTS_D96A : SEGMENTS_D01B;
  const mk = (type: string, structure: StructureEntry[]) => defineMessageSpec({ type, version: 'D', release, structure, segments });
  return [
    mk('ORDERS', orderStructure()),
    mk('ORDRSP', orderStructure()),
    mk('DESADV', desadvStructure()),
    mk('INVOIC', invoicStructure(release === '01B')),
    mk('INVRPT', invrptStructure()),
  ];
}

export const BUNDLED_MESSAGE_SPECS: readonly MessageSpec[] = [
  ...forDirectory('96A'),
  ...forDirectory('01B'),
  defineMessageSpec({ type: 'CONTRL', version: 'D', release: '3', structure: contrlStructure(), segments: SEGMENTS_CONTRL_3 }),
  defineMessageSpec({ type: 'CONTRL', version: '4', release: '1', structure: contrlStructure(), segments: SEGMENTS_CONTRL_4 }),
];
