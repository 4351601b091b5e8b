/**
 * Service code lists used in syntax and service reports (ISO 9735-4 / UN/EDIFACT service directory).
 * 0085 "Syntax error, coded" and 0083 "Action, coded", as published in the UN/EDIFACT service code
 * lists (e.g. https://service.gefeg.com/jwg1/Current/cl/cl15.htm and cl14.htm). Codes 1–11 of older
 * directories were withdrawn in 2001 and are not produced here.
 */
export const SyntaxErrors = {
  syntaxVersionNotSupported: '2',
  recipientNotActualRecipient: '7',
  invalidValue: '12',
  missing: '13',
  valueNotSupportedInPosition: '14',
  notSupportedInPosition: '15',
  tooManyConstituents: '16',
  noAgreement: '17',
  unspecified: '18',
  invalidDecimalNotation: '19',
  invalidAsServiceCharacter: '20',
  invalidCharacters: '21',
  invalidServiceCharacters: '22',
  unknownSender: '23',
  tooOld: '24',
  testIndicatorNotSupported: '25',
  duplicateDetected: '26',
  securityFunctionNotSupported: '27',
  referencesDoNotMatch: '28',
  controlCountMismatch: '29',
  groupsAndMessagesMixed: '30',
  moreThanOneMessageTypeInGroup: '31',
  lowerLevelEmpty: '32',
  invalidOccurrenceOutsideMessage: '33',
  tooManyRepetitions: '35',
  tooManySegmentGroupRepetitions: '36',
  invalidTypeOfCharacters: '37',
  missingDigitBeforeDecimalSign: '38',
  dataElementTooLong: '39',
  dataElementTooShort: '40',
  unknownRecipient: '43',
  trailingSeparator: '45',
  characterSetNotSupported: '46',
  envelopeFunctionalityNotSupported: '47',
  dependencyConditionViolated: '48',
} as const;

export type SyntaxErrorCode = (typeof SyntaxErrors)[keyof typeof SyntaxErrors];

export const SYNTAX_ERROR_TITLES: Readonly<Record<SyntaxErrorCode, string>> = {
  '2': 'Syntax version or level not supported',
  '7': 'Interchange recipient not actual recipient',
  '12': 'Invalid value',
  '13': 'Missing',
  '14': 'Value not supported in this position',
  '15': 'Not supported in this position',
  '16': 'Too many constituents',
  '17': 'No agreement',
  '18': 'Unspecified error',
  '19': 'Invalid decimal notation',
  '20': 'Character invalid as service character',
  '21': 'Invalid character(s)',
  '22': 'Invalid service character(s)',
  '23': 'Unknown Interchange sender',
  '24': 'Too old',
  '25': 'Test indicator not supported',
  '26': 'Duplicate detected',
  '27': 'Security function not supported',
  '28': 'References do not match',
  '29': 'Control count does not match number of instances received',
  '30': 'Functional groups and messages mixed',
  '31': 'More than one message type in group',
  '32': 'Lower level empty',
  '33': 'Invalid occurrence outside message, package or group',
  '35': 'Too many repetitions',
  '36': 'Too many segment group repetitions',
  '37': 'Invalid type of character(s)',
  '38': 'Missing digit in front of decimal sign',
  '39': 'Data element too long',
  '40': 'Data element too short',
  '43': 'Unknown interchange recipient',
  '45': 'Trailing separator',
  '46': 'Character set not supported',
  '47': 'Envelope functionality not supported',
  '48': 'Dependency notes condition violated',
};

/** 0083 Action, coded. */
export const Action = {
  /** This level and all lower levels rejected. */
  rejected: '4',
  /** This level acknowledged and all lower levels acknowledged if not explicitly rejected. */
  acknowledged: '7',
  /** Interchange received (receipt only, nothing checked beyond UCI's copied data). */
  received: '8',
} as const;

export type ActionCode = (typeof Action)[keyof typeof Action];
