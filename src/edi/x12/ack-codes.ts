/**
 * Code lists acknowledgements carry (X12 data elements). Kept as maps so the docs and the parser can name them.
 */

/** TA104 (I17) interchange acknowledgment code. */
export const TA1_STATUS = { A: 'Accepted, no errors', E: 'Accepted, errors noted', R: 'Rejected' } as const;

/** TA105 (I18) interchange note codes. */
export const TA1_NOTE: Record<string, string> = {
  '000': 'No error',
  '001': 'Interchange control number in header and trailer do not match',
  '002': 'Standard in ISA11 not supported',
  '003': 'Version of the controls not supported',
  '004': 'Segment terminator is invalid',
  '005': 'Invalid interchange ID qualifier for sender',
  '006': 'Invalid interchange sender ID',
  '007': 'Invalid interchange ID qualifier for receiver',
  '008': 'Invalid interchange receiver ID',
  '009': 'Unknown interchange receiver ID',
  '010': 'Invalid authorization information qualifier value',
  '011': 'Invalid authorization information value',
  '012': 'Invalid security information qualifier value',
  '013': 'Invalid security information value',
  '014': 'Invalid interchange date value',
  '015': 'Invalid interchange time value',
  '016': 'Invalid interchange standards identifier value',
  '017': 'Invalid interchange version ID value',
  '018': 'Invalid interchange control number value',
  '019': 'Invalid acknowledgment requested value',
  '020': 'Invalid test indicator value',
  '021': 'Invalid number of included groups value',
  '022': 'Invalid control structure',
  '023': 'Improper (premature) end-of-file (transmission)',
  '024': 'Invalid interchange content (e.g. invalid GS segment)',
  '025': 'Duplicate interchange control number',
  '026': 'Invalid data element separator',
  '027': 'Invalid component element separator',
};

/** AK501/IK501 (717) transaction set acknowledgment code; AK901 (715) adds P (partially accepted). */
export const AK5_STATUS = {
  A: 'Accepted',
  E: 'Accepted but errors were noted',
  M: 'Rejected, message authentication code failed',
  R: 'Rejected',
  W: 'Rejected, assurance failed validity tests',
  X: 'Rejected, content after decryption could not be analyzed',
} as const;
export const AK9_STATUS = { ...AK5_STATUS, P: 'Partially accepted, at least one transaction set was rejected' } as const;

/** AK502-AK506 / IK502 (718) transaction set syntax error codes. */
export const AK5_CODES: Record<string, string> = {
  '1': 'Transaction set not supported',
  '2': 'Transaction set trailer missing',
  '3': 'Transaction set control number in header and trailer do not match',
  '4': 'Number of included segments does not match actual count',
  '5': 'One or more segments in error',
  '6': 'Missing or invalid transaction set identifier',
  '7': 'Missing or invalid transaction set control number',
  '23': 'Transaction set control number not unique within the functional group',
};

/** AK905-AK909 (716) functional group syntax error codes. */
export const AK9_CODES: Record<string, string> = {
  '1': 'Functional group not supported',
  '2': 'Functional group version not supported',
  '3': 'Functional group trailer missing',
  '4': 'Group control number in the functional group header and trailer do not agree',
  '5': 'Number of included transaction sets does not match actual count',
  '6': 'Group control number violates syntax',
  '19': 'Functional group control number not unique within interchange',
};

/** AK304 / IK304 (720) segment syntax error codes. */
export const AK3_CODES: Record<string, string> = {
  '1': 'Unrecognized segment ID',
  '2': 'Unexpected segment',
  '3': 'Required segment missing',
  '4': 'Loop occurs over maximum times',
  '5': 'Segment exceeds maximum use',
  '6': 'Segment not in defined transaction set',
  '7': 'Segment not in proper sequence',
  '8': 'Segment has data element errors',
};

/** AK403 / IK403 (723) data element syntax error codes. */
export const AK4_CODES: Record<string, string> = {
  '1': 'Required data element missing',
  '2': 'Conditional required data element missing',
  '3': 'Too many data elements',
  '4': 'Data element too short',
  '5': 'Data element too long',
  '6': 'Invalid character in data element',
  '7': 'Invalid code value',
  '8': 'Invalid date',
  '9': 'Invalid time',
  '10': 'Exclusion condition violated',
  '12': 'Too many repetitions',
  '13': 'Too many components',
};
