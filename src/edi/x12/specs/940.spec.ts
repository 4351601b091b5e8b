import { defineTransactionSpec, loop, seg } from '../spec-format.js';

/** 940 Warehouse Shipping Order. */
export const spec940 = defineTransactionSpec({
  id: '940',
  name: 'Warehouse Shipping Order',
  functionalId: 'OW',
  versions: ['004010', '005010'],
  body: [
    seg('W05', 1, 1),
    loop('N1', 0, 10, seg('N1', 1, 1), seg('N2', 0, 2), seg('N3', 0, 2), seg('N4'), seg('N9', 0, 10), seg('G61', 0, 3), seg('PER', 0, 3)),
    seg('N9', 0, 10),
    seg('G62', 0, 10),
    seg('NTE', 0, 10),
    seg('W09', 0, 1),
    seg('W66', 0, 1),
    loop('LM', 0, 10, seg('LM', 1, 1), seg('LQ', 1, 100)),
    loop(
      'LX',
      0,
      99999,
      seg('LX', 1, 1),
      loop(
        'W01',
        1,
        9999,
        seg('W01', 1, 1),
        seg('G69', 0, 99999),
        seg('N9', 0, 99999),
        seg('W20'),
        seg('AMT', 0, 99999),
        seg('NTE', 0, 99999),
        seg('G62', 0, 99999),
        seg('MAN', 0, 99999),
        seg('QTY', 0, 99999),
        seg('FA1', 0, 99999),
      ),
    ),
    seg('W76', 0, 1),
  ],
});
