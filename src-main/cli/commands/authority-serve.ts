import { readFileSync } from 'node:fs';
import { QuorumError } from '../../../shared/domain/errors.js';
import { DEFAULT_AUTHORITY_PORT, startAuthorityServer } from '../../authority/index.js';
import { parseListenSpec } from '../../headless/listen-spec.js';
import { CliUsageError, intOption, parseCommandArgs, type Command } from '../cli-kit.js';
import { resolveDataDir } from '../data-dir.js';
import { DATA_DIR_HELP, systemClock } from './key-common.js';

const HELP = `Usage: quorum authority serve [--listen ADDR[:PORT]]... [--tls-cert FILE --tls-key FILE]
                              [--rate-per-address N] [--rate-per-key N] [--data-dir DIR]

Runs this data directory's authority as a network service, so hosts anywhere activate the keys it
issued with "quorum key activate --authority https://HOST[:PORT]". Every answer is signed with the
authority's own Ed25519 key (DIR/authority-identity.pem, created on first start, mode 0600); hosts
pin its fingerprint, printed on start: publish it with your keys. The API is in docs/keys.md.

Options:
  --listen ADDR[:PORT]   where to listen, repeatable (default 127.0.0.1:${DEFAULT_AUTHORITY_PORT}: put a TLS
                         reverse proxy in front, or give --tls-cert/--tls-key and listen publicly)
  --tls-cert FILE        PEM certificate chain: serve HTTPS
  --tls-key FILE         PEM private key of that certificate
  --rate-per-address N   requests per minute from one address (default 60; 0: no limit)
  --rate-per-key N       activations per minute of one key (default 30; 0: no limit)
${DATA_DIR_HELP}

Example:
  quorum authority serve --listen 0.0.0.0:8443 --tls-cert cert.pem --tls-key key.pem`;

function readPem(option: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new QuorumError(
      'AUTHORITY_TLS_FILE',
      `Cannot read ${option} ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'}).`,
      'Check the path and its permissions.',
    );
  }
}

export const authorityServe: Command = {
  path: ['authority', 'serve'],
  summary: 'run the authority as a network service (hosts activate keys online)',
  help: HELP,
  async run(args, io) {
    const { values } = parseCommandArgs(args, {
      'data-dir': { type: 'string' },
      listen: { type: 'string', multiple: true },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'rate-per-address': { type: 'string' },
      'rate-per-key': { type: 'string' },
    });
    if ((values['tls-cert'] === undefined) !== (values['tls-key'] === undefined)) {
      throw new CliUsageError('--tls-cert and --tls-key go together.');
    }
    const listen = (values.listen ?? [`127.0.0.1:${DEFAULT_AUTHORITY_PORT}`]).map((s) =>
      parseListenSpec(s, DEFAULT_AUTHORITY_PORT, '--listen'),
    );
    const tls =
      values['tls-cert'] !== undefined && values['tls-key'] !== undefined
        ? { cert: readPem('--tls-cert', values['tls-cert']), key: readPem('--tls-key', values['tls-key']) }
        : undefined;
    const perAddress = intOption('rate-per-address', values['rate-per-address'], 0, 1_000_000);
    const perKey = intOption('rate-per-key', values['rate-per-key'], 0, 1_000_000);
    const log = (line: string) => io.out(`${new Date().toISOString()} ${line}`);
    const dataDir = resolveDataDir(values['data-dir']);
    const server = await startAuthorityServer({
      dataDir,
      clock: systemClock,
      listen,
      ...(tls ? { tls } : {}),
      limits: {
        ...(perAddress === undefined ? {} : { perAddressPerMinute: perAddress }),
        ...(perKey === undefined ? {} : { perKeyPerMinute: perKey }),
      },
      log,
    });
    log(`Quorum authority ${server.authorityTag} listening on ${server.urls.join(', ')} (data: ${dataDir})`);
    log(`authority key fingerprint ${server.fingerprint}`);
    if (!tls) log('serving plain HTTP: put a TLS reverse proxy in front before exposing it beyond this machine');
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    await server.close();
    log('stopped');
    return 0;
  },
};
