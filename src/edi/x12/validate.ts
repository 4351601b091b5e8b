import { type X12Document, X12DocumentBuilder } from './document.js';
import { X12EnvelopeValidator, type X12ValidationResult, type X12ValidatorOptions } from './envelope.js';
import { BUILTIN_SPECS } from './specs/index.js';
import { X12Tokenizer, type X12TokenizerOptions } from './tokenizer.js';
import { specChecker } from './transaction-validator.js';

const builtinChecker = specChecker(BUILTIN_SPECS);

/**
 * Parses and validates in one pass (envelope plus the built-in transaction specs unless `transactionChecker`
 * is given). Throws CD_ERR_X12_* only when the input cannot be tokenized; everything else is in `result`.
 */
export function parseAndValidateX12(
  input: string | Buffer | Uint8Array,
  options: X12TokenizerOptions & X12ValidatorOptions = {},
): { document: X12Document; result: X12ValidationResult } {
  const builder = new X12DocumentBuilder();
  const validator = new X12EnvelopeValidator({ transactionChecker: builtinChecker, ...options });
  const tokenizer = new X12Tokenizer(
    {
      segment: (seg) => {
        builder.segment(seg);
        validator.segment(seg);
      },
      interchange: (info) => {
        builder.interchange(info);
        validator.interchange(info);
      },
    },
    options,
  );
  tokenizer.write(input);
  tokenizer.end();
  return { document: builder.document, result: validator.end() };
}
