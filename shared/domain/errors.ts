/**
 * Errors that reach a person (CLI line, console toast, client log) carry a stable code that
 * scripts and docs can rely on, a message that says what happened, and a hint that says what to
 * check next. Codes are SCREAMING_SNAKE and never renamed once released.
 */
export interface QuorumErrorInfo {
  code: string;
  message: string;
  hint?: string;
}

export class QuorumError extends Error implements QuorumErrorInfo {
  readonly code: string;
  readonly hint: string | undefined;

  constructor(code: string, message: string, hint?: string) {
    super(message);
    this.name = 'QuorumError';
    this.code = code;
    this.hint = hint;
  }

  toJSON(): QuorumErrorInfo {
    return this.hint === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, hint: this.hint };
  }
}

/** One line for a terminal or a toast: "Message. Hint." (a full stop added where a message lacks one). */
export function describeError(e: QuorumErrorInfo): string {
  if (!e.hint) return e.message;
  return /[.!?:]["')\]]?$/.test(e.message) ? `${e.message} ${e.hint}` : `${e.message}. ${e.hint}`;
}
