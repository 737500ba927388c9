/**
 * What the key field says while a key is typed: the isomorphic validator (shared/keys) run on
 * every keystroke, turned into a state per group and one sentence naming the group and character.
 */
import {
  KEY_GROUPS,
  KEY_GROUP_SIZE,
  KEY_LENGTH,
  coverageText,
  normalizeHostKey,
  parseHostKey,
} from '../../../shared/keys/index.js';

export type GroupState = 'empty' | 'partial' | 'ok' | 'error';

export interface KeyFeedback {
  state: 'empty' | 'typing' | 'error' | 'ok';
  message: string;
  groups: GroupState[];
  /** 1-based group the problem is in. */
  group?: number;
  /** The key as the host stores it, once it checks. */
  key?: string;
}

export function keyFeedback(text: string): KeyFeedback {
  const compact = normalizeHostKey(text);
  const filled = (g: number) => Math.max(0, Math.min(KEY_GROUP_SIZE, compact.length - g * KEY_GROUP_SIZE));
  const groups: GroupState[] = Array.from({ length: KEY_GROUPS }, (_, g) =>
    filled(g) === 0 ? 'empty' : filled(g) === KEY_GROUP_SIZE ? 'ok' : 'partial',
  );
  if (compact.length === 0) {
    return { state: 'empty', message: 'A host key is 25 characters in 5 groups of 5.', groups };
  }
  const parsed = parseHostKey(text);
  if (parsed.ok) {
    return {
      state: 'ok',
      message: `The key checks. It covers ${coverageText(parsed.key.family, parsed.key.generation)}.`,
      groups,
      key: parsed.key.text,
    };
  }
  const e = parsed.error;
  if (e.code === 'KEY_INCOMPLETE') {
    return { state: 'typing', message: `${compact.length} of ${KEY_LENGTH} characters.`, groups };
  }
  if (e.group !== undefined) {
    groups[e.group - 1] = 'error';
    for (let g = e.group; g < KEY_GROUPS; g++) if (groups[g] === 'ok') groups[g] = 'partial';
  } else {
    groups.fill('error');
  }
  return { state: 'error', message: e.message, groups, ...(e.group !== undefined ? { group: e.group } : {}) };
}
