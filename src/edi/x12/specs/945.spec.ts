import { defineTransactionSpec, loop, seg } from '../spec-format.js';

/** 945 Warehouse Shipping Advice. */
export const spec945 = defineTransactionSpec({
  id: '945',
  name: 'Warehouse Shipping Advice',
  functionalId: 'SW',
  versions: ['004010', '005010'],
  body: [
    seg('W06', 1, 1),
    loop('N1', 0, 10, seg('N1', 1, 1), seg('N2', 0, 2), seg('N3', 0, 2), seg('N4'), seg('N9', 0, 10), seg('PER', 0, 3)),
    seg('N9', 0, 30),
    seg('G62', 0, 10),
    seg('NTE', 0, 20),
    seg('W27', 0, 1),
    seg('W10', 0, 1),
    seg('W28', 0, 1),
    seg('R2', 0, 12),
    seg('G72', 0, 99999),
    loop(
      'LX',
      0,
      99999,
      seg('LX', 1, 1),
      seg('MAN', 0, 99999),
      seg('PAL', 0, 1),
      loop(
        'W12',
        1,
        9999,
        seg('W12', 1, 1),
        seg('G69', 0, 99999),
        seg('N9', 0, 20),
        seg('MEA', 0, 99999),
        seg('QTY', 0, 99999),
        seg('G62', 0, 99999),
      ),
    ),
    seg('W03', 1, 1),
  ],
});
