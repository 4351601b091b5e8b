import type { X12SpecRegistry } from '../transaction-validator.js';
import { spec810 } from './810.spec.js';
import { spec846 } from './846.spec.js';
import { spec850 } from './850.spec.js';
import { spec855 } from './855.spec.js';
import { spec856 } from './856.spec.js';
import { spec940 } from './940.spec.js';
import { spec945 } from './945.spec.js';
import { spec997 } from './997.spec.js';
import { SEGMENTS } from './segments.js';

export { FUNCTIONAL_ID_CODES, SEGMENTS } from './segments.js';

/** The built-in specs: 810, 846, 850, 855, 856, 940, 945, 997 in 004010 and 005010. */
export const BUILTIN_SPECS: X12SpecRegistry = {
  specs: [spec810, spec846, spec850, spec855, spec856, spec940, spec945, spec997],
  segments: SEGMENTS,
  // X12 DE 735 hierarchical level codes an 856 uses: shipment, order, pack, tare, item, sub-pack, component.
  hierarchy: { '856': ['S', 'O', 'P', 'T', 'I', 'Q', 'F', 'D'] },
};
