/** The key test vectors, typed; shared by the Node and the DOM runs of the validator tests. */
import vectors from '../../vectors/keys.json' with { type: 'json' };
import type { HostKeyErrorCode, HostKeyFields } from '../../../shared/keys/index.js';

export interface KeyVectors {
  valid: { text: string; fields: HostKeyFields }[];
  same: string[];
  invalid: { text: string; code: HostKeyErrorCode; group?: number; position?: number }[];
}

export const KEY_VECTORS = vectors as KeyVectors;
