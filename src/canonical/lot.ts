import { z } from 'zod';
import { IsoDate } from './primitives.js';
import { Quantity } from './quantity.js';

const LotNumber = z.string().min(1).max(100);
const SerialNumber = z.string().min(1).max(100);

/** Lot, serial and date attributes of goods where the item is tracked (GS1 AIs 10, 21, 17, 11). */
export const LotDetail = z
  .strictObject({
    lot: LotNumber.optional(),
    serialNumbers: z.array(SerialNumber).max(10_000).optional(),
    expiryDate: IsoDate.optional(),
    bestBeforeDate: IsoDate.optional(),
    productionDate: IsoDate.optional(),
  })
  .meta({ id: 'LotDetail' });
export type LotDetail = z.infer<typeof LotDetail>;

export { LotNumber, SerialNumber };

/** Lot detail with the quantity of goods it covers, for lines that split across lots. */
export const LotQuantityDetail = LotDetail.extend({ quantity: Quantity.optional() }).meta({ id: 'LotQuantityDetail' });
export type LotQuantityDetail = z.infer<typeof LotQuantityDetail>;
