import { Ext, ExtMap, Id, RefMap, Refs, Timestamp } from './primitives.js';

/** Fields every canonical object carries. */
export const objectFields = {
  id: Id,
  refs: Refs,
  ext: Ext,
  createdAt: Timestamp.optional(),
  updatedAt: Timestamp.optional(),
};

/** Fields every document line carries, so a line's external ids and vendor fields survive too. */
export const lineFields = {
  refs: RefMap.optional(),
  ext: ExtMap.optional(),
};
