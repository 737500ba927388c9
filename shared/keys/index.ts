export { KEY_ALPHABET } from './alphabet.js';
export {
  KEY_GROUPS,
  KEY_GROUP_SIZE,
  KEY_LENGTH,
  MAX_KEY_GENERATION,
  MAX_KEY_SERIAL,
  encodeHostKey,
  fieldsOfPayload,
  formatHostKey,
  hostKeyMacInput,
  lastFiveOf,
  maskHostKey,
  normalizeHostKey,
  parseHostKey,
  payloadOf,
  type HostKey,
  type HostKeyError,
  type HostKeyErrorCode,
  type HostKeyFields,
  type HostKeyParse,
} from './host-key.js';
export {
  ID_GROUP_SIZE,
  checkDigitGroup,
  dammDigit,
  encodeDigitGroups,
  parseDigitGroups,
  type DigitGroupsError,
  type DigitGroupsParse,
} from './digit-groups.js';
export { coverageText, FAMILIES_COVERED, keyCovers, type KeyCoverage } from './coverage.js';
