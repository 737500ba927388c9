import { QuorumError } from '../../../shared/domain/errors.js';
import { readFileSync } from 'node:fs';
import {
  activateOnline,
  activateWithRemoteAuthority,
  completeOfflineActivation,
  isAuthorityUrl,
  keyInfo,
  startOfflineActivation,
} from '../../authority/index.js';
import { CliUsageError, parseCommandArgs, printJson, type Command } from '../cli-kit.js';
import { resolveDataDir } from '../data-dir.js';
import { DATA_DIR_HELP, describeKeyInfo, systemClock } from './key-common.js';

const HELP = `Usage: quorum key activate [--authority URL|DIR] [--reactivate] [--data-dir DIR] [--json]
       quorum key activate --authority https://HOST[:PORT] [--authority-pin FP] [--authority-ca FILE] ...
       quorum key activate --offline [--reactivate] [--data-dir DIR] [--json]
       quorum key activate --confirmation CID [--data-dir DIR] [--json]

Activates this host's installed key with the authority, which allows one key on at most 6 hosts
and each host at most 10 activations (the first plus 9 reactivations).

Online (default): asks the authority embedded in this data directory; with --authority URL the
vendor's authority over the network ("quorum authority serve"); with --authority DIR that of
another installation on this machine. A network authority's answers are signed: the host pins its
key fingerprint (given with --authority-pin, else trusted on first use and printed).
Offline, as by telephone: --offline prints an installation ID; give it to the authority's admin,
who runs "quorum authority confirm IID" and reads back a confirmation ID; then run
"quorum key activate --confirmation CID" here. A mistyped digit group is named.

Options:
  --authority URL|DIR  the authority that issued the key: https://HOST[:PORT], or its data directory
                       (default: the one embedded in this data directory)
  --authority-pin FP   the authority's key fingerprint as the vendor published it (64 hex digits)
  --authority-ca FILE  PEM certificate of a private CA that signed the authority's TLS certificate
  --offline            print an installation ID instead of asking the authority directly
  --confirmation CID   complete an offline activation with the authority's confirmation ID
  --reactivate         activate again although the host is activated (spends a reactivation)
${DATA_DIR_HELP}
  --json               print the result as JSON

Examples:
  quorum key activate
  quorum key activate --authority https://activation.example.com
  quorum key activate --authority /srv/quorum-authority
  quorum key activate --offline
  quorum key activate --confirmation 123456-7 ...`;

function readCa(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new QuorumError(
      'AUTHORITY_CA_UNREADABLE',
      `Cannot read the CA certificate ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'}).`,
      'Check the path given to --authority-ca.',
    );
  }
}

export const keyActivate: Command = {
  path: ['key', 'activate'],
  summary: 'activate the host key online, or offline by installation/confirmation ID',
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        'data-dir': { type: 'string' },
        authority: { type: 'string' },
        'authority-pin': { type: 'string' },
        'authority-ca': { type: 'string' },
        offline: { type: 'boolean' },
        confirmation: { type: 'string' },
        reactivate: { type: 'boolean' },
        json: { type: 'boolean' },
      },
      true,
    );
    const dataDir = resolveDataDir(values['data-dir']);
    const modes = [values.offline, values.confirmation !== undefined, values.authority !== undefined].filter(Boolean);
    if (modes.length > 1) throw new CliUsageError('Use only one of --authority, --offline and --confirmation.');
    if (values.authority !== undefined && values.authority.trim() === '') {
      throw new CliUsageError('--authority needs the URL or data directory of the authority that issued the key.');
    }
    if (values.offline) {
      if (positionals.length > 0) throw new CliUsageError(`Unexpected argument "${positionals[0]}".`);
      const iid = startOfflineActivation(dataDir, systemClock, { reactivate: values.reactivate ?? false });
      if (values.json) printJson(io, { ok: true, installationId: iid });
      else {
        io.out(`Installation ID: ${iid}`);
        io.out("Give it to the authority's admin, who runs: quorum authority confirm IID");
        io.out('Then enter the confirmation ID here: quorum key activate --confirmation CID');
      }
      return 0;
    }
    if (values.confirmation !== undefined) {
      // The CID may arrive as several words when typed with spaces between groups.
      const cid = [values.confirmation, ...positionals].join(' ');
      completeOfflineActivation(dataDir, systemClock, cid);
    } else if (values.authority !== undefined && isAuthorityUrl(values.authority)) {
      if (positionals.length > 0) throw new CliUsageError(`Unexpected argument "${positionals[0]}".`);
      const caFile = values['authority-ca'];
      const remote = await activateWithRemoteAuthority(dataDir, systemClock, {
        url: values.authority,
        reactivate: values.reactivate ?? false,
        ...(values['authority-pin'] === undefined ? {} : { pin: values['authority-pin'] }),
        ...(caFile === undefined ? {} : { ca: readCa(caFile) }),
      });
      if (remote.trustedOnFirstUse && !values.json) {
        io.err(
          `Trusted the authority's key on first use: ${remote.authorityFingerprint}. Compare it with the fingerprint the vendor published.`,
        );
      }
    } else {
      if (positionals.length > 0) throw new CliUsageError(`Unexpected argument "${positionals[0]}".`);
      if (values['authority-pin'] !== undefined || values['authority-ca'] !== undefined) {
        throw new CliUsageError('--authority-pin and --authority-ca go with --authority https://HOST[:PORT].');
      }
      const options = values.authority === undefined ? {} : { authorityDir: values.authority };
      activateOnline(dataDir, systemClock, { ...options, reactivate: values.reactivate ?? false });
    }
    const info = keyInfo(dataDir, systemClock);
    if (!info.activation) throw new QuorumError('INTERNAL', 'The activation was not recorded.');
    if (values.json) printJson(io, { ok: true, ...info });
    else {
      io.out('The host is activated and serves clients.');
      io.out(describeKeyInfo(info));
    }
    return 0;
  },
};
