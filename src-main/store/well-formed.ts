const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * The text as SQLite stores it: a lone surrogate becomes U+FFFD. The wire's strict UTF-8 cannot
 * carry one, but an API caller's string can, and SQLite would store bytes no LIKE pattern matches.
 */
export function wellFormed(s: string): string {
  return s.replace(LONE_SURROGATE, '\uFFFD');
}
