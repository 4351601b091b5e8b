export { MasterDataErrors } from './errors.js';
export { defaultRules, ObjectKind, SystemOfRecordRule, SystemOfRecordRules, type SystemOfRecordRulesInput } from './rules.js';
export { MasterData, type MasterRecord, type XrefLink } from './xref.js';
