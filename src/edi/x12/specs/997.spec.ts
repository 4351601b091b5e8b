import { defineTransactionSpec, loop, seg } from '../spec-format.js';

/** 997 Functional Acknowledgment. */
export const spec997 = defineTransactionSpec({
  id: '997',
  name: 'Functional Acknowledgment',
  functionalId: 'FA',
  versions: ['004010', '005010'],
  body: [
    seg('AK1', 1, 1),
    loop('AK2', 0, 999999, seg('AK2', 1, 1), loop('AK3', 0, 999999, seg('AK3', 1, 1), seg('AK4', 0, 99)), seg('AK5', 1, 1)),
    seg('AK9', 1, 1),
  ],
});
