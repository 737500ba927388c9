/**
 * TSIG key files in the form BIND's `tsig-keygen` writes and `named.conf` includes:
 *
 *   key "quorum-key" {
 *           algorithm hmac-sha256;
 *           secret "base64...";
 *   };
 *
 * Parsed strictly enough that a wrong file (a zone file, a PEM key, half a key) is named as such.
 */
import { QuorumError } from '../../shared/domain/errors.js';
import { TSIG_ALGORITHMS, type TsigAlgorithm, type TsigKey } from './tsig.js';

const HINT = 'Create one with: tsig-keygen -a hmac-sha256 quorum-key > quorum-key.key (and include it in named.conf).';

function bad(source: string, why: string): QuorumError {
  return new QuorumError('DNS_KEY_INVALID', `${source} is not a usable TSIG key file: ${why}.`, HINT);
}

function stripComments(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/(^|[^"])(\/\/|#)[^\n]*/g, '$1')
    .trim();
}

const KEY_BLOCK = /key\s+"?([A-Za-z0-9._-]+)"?\s*\{([^}]*)\}\s*;?/g;

/** Parses the file's text; `source` names it in errors (a path, or "the key given"). */
export function parseTsigKeyFile(text: string, source: string): TsigKey {
  const body = stripComments(text);
  if (body === '') throw bad(source, 'it is empty');
  const blocks = [...body.matchAll(KEY_BLOCK)];
  if (blocks.length === 0) throw bad(source, 'it has no `key "NAME" { ... };` block');
  if (blocks.length > 1) {
    throw bad(source, `it holds ${blocks.length} keys (${blocks.map((b) => b[1]).join(', ')}); give a file with one`);
  }
  const [, name, inner] = blocks[0]!;
  const algorithm = /algorithm\s+"?([A-Za-z0-9-]+)"?\s*;/.exec(inner!)?.[1]?.toLowerCase();
  const secret = /secret\s+"([^"]*)"\s*;/.exec(inner!)?.[1]?.replace(/\s+/g, '');
  if (!algorithm) throw bad(source, `key "${name}" has no "algorithm ...;" line`);
  if (!(TSIG_ALGORITHMS as readonly string[]).includes(algorithm)) {
    throw bad(
      source,
      `key "${name}" uses ${algorithm}; Quorum signs with ${TSIG_ALGORITHMS.join(', ')} (hmac-md5 and hmac-sha1 are too weak)`,
    );
  }
  if (secret === undefined) throw bad(source, `key "${name}" has no 'secret "...";' line`);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(secret) || secret.length % 4 !== 0) {
    throw bad(source, `the secret of key "${name}" is not base64`);
  }
  const bytes = Buffer.from(secret, 'base64');
  if (bytes.length < 16) throw bad(source, `the secret of key "${name}" is only ${bytes.length} bytes (at least 16)`);
  return { name: name!, algorithm: algorithm as TsigAlgorithm, secret: bytes };
}

/** The same form back, for the copy kept in the data directory. */
export function formatTsigKeyFile(key: TsigKey): string {
  return `key "${key.name}" {\n\talgorithm ${key.algorithm};\n\tsecret "${key.secret.toString('base64')}";\n};\n`;
}
