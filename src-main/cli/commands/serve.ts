import { QAP_DEFAULT_PORT } from '../../../shared/protocol/qap-types.js';
import { QuorumError } from '../../../shared/domain/errors.js';
import { readFileSync } from 'node:fs';
import { startHost, startHostOnAllAddresses, type HostOptions, type ListenAddress } from '../../host/host-runtime.js';
import { parseRanges } from '../../host/admission.js';
import { readStoredNetworkSettings, type NetworkSettings } from '../../host/network-settings.js';
import { createConsoleService } from '../../service/console-service.js';
import { startConsoleServer, type ConsoleServer } from '../../headless/console-server.js';
import { loadOrCreateConsoleToken } from '../../headless/console-token.js';
import { rendererDir } from '../../headless/renderer-dir.js';
import { parseListenSpec } from '../../headless/listen-spec.js';
import { intOption, parseCommandArgs, type CliIo, type Command } from '../cli-kit.js';
import { resolveDataDir } from '../data-dir.js';
import { describeAddresses } from '../../rpc/listener.js';
import { keepServingOnUncaught } from '../../host/fault-guard.js';

export const DEFAULT_CONSOLE = '127.0.0.1:8690';

const HELP = `Usage: quorum serve [--data-dir DIR] [--port N] [--listen ADDR]... [--console ADDR[:PORT]|off]

Runs the activation host and the web console in this process (no window). Stops cleanly on
Ctrl-C, SIGINT or SIGTERM. Logs go to standard output, one line each.

Options:
  --data-dir DIR     the host installation (database, identity key, settings); default
                     $QUORUM_DATA_DIR or $XDG_DATA_HOME/quorum
  --port N           activation port (default ${QAP_DEFAULT_PORT})
  --listen ADDR      address to listen on, repeatable (default: all IPv6 and IPv4 addresses);
                     ADDR may carry its own port: 192.0.2.10:1688, [::1]:1688
  --allow CIDR       only clients from these ranges may activate, repeatable
                     (e.g. 192.168.1.0/24, fd00::/8); others are refused and counted as failed
  --site-token-file FILE
                     require every request to carry an HMAC with the token in FILE
                     (clients: quorum client activate --site-token ...); or set QUORUM_SITE_TOKEN
  --console ADDR     where the web console listens (default ${DEFAULT_CONSOLE}): ADDR, ADDR:PORT, or a
                     port alone on 127.0.0.1; "off" disables it.
                     Its URL, with the access token, is printed on start.
  --console-name NAME
                     a host name the console answers to, repeatable (it always answers to its
                     IP addresses, localhost and this machine's name; others get 421)

Without --port, --listen, --allow or --site-token-file, the host uses the settings stored in the
data directory (quorum settings, or the console's Settings page); the flags win for this run.

Example:
  quorum serve --data-dir ./office-host --port 1688`;

function logLine(io: CliIo): (line: string) => void {
  return (line) => io.out(`${new Date().toISOString()} ${line}`);
}

function admissionOptions(
  allow: string[] | undefined,
  tokenFile: string | undefined,
  stored: NetworkSettings,
): HostOptions['admission'] {
  let siteToken = process.env.QUORUM_SITE_TOKEN ?? stored.siteToken;
  if (tokenFile) {
    try {
      siteToken = readFileSync(tokenFile, 'utf8').trim();
    } catch (e) {
      throw new QuorumError(
        'SITE_TOKEN_UNREADABLE',
        `Cannot read the site token file ${tokenFile}: ${(e as Error).message}`,
      );
    }
    if (!siteToken) throw new QuorumError('SITE_TOKEN_EMPTY', `The site token file ${tokenFile} is empty.`);
  }
  // Ranges are checked now so a typo fails at start, not on the first client.
  if (allow?.length) parseRanges(allow);
  else allow = stored.allowedRanges;
  return { ...(siteToken ? { siteToken } : {}), ...(allow?.length ? { allowedRanges: allow } : {}) };
}

export const serve: Command = {
  path: ['serve'],
  summary: 'run the activation host and the web console (no window)',
  help: HELP,
  async run(args, io) {
    const { values } = parseCommandArgs(args, {
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      listen: { type: 'string', multiple: true },
      console: { type: 'string' },
      allow: { type: 'string', multiple: true },
      'site-token-file': { type: 'string' },
      'console-name': { type: 'string', multiple: true },
    });
    const dataDir = resolveDataDir(values['data-dir']);
    // Flags win over the settings stored in the data directory (quorum settings, the console).
    const stored = readStoredNetworkSettings(dataDir);
    const port = intOption('port', values.port, 0, 65535) ?? stored.port ?? QAP_DEFAULT_PORT;
    const listen: ListenAddress[] = values.listen?.length
      ? values.listen.map((s) => parseListenSpec(s, port, '--listen'))
      : (stored.addresses ?? []).map((host) => ({ host, port }));
    const consoleSpec = values.console ?? DEFAULT_CONSOLE;
    const consoleAt = consoleSpec === 'off' ? null : parseListenSpec(consoleSpec, 8690, '--console', '127.0.0.1');
    const staticDir = consoleAt ? rendererDir() : '';
    const log = logLine(io);
    const admission = admissionOptions(values.allow, values['site-token-file'], stored);
    // Flags and QUORUM_SITE_TOKEN set the admission for this run; otherwise settings changed meanwhile apply.
    const followStoredAdmission =
      !values.allow?.length && !values['site-token-file'] && process.env.QUORUM_SITE_TOKEN === undefined;

    const host =
      listen.length > 0
        ? await startHost({ dataDir, listen, log, admission, followStoredAdmission })
        : await startHostOnAllAddresses({ dataDir, log, admission, followStoredAdmission }, port);
    const service = createConsoleService(host);
    let consoleServer: ConsoleServer | undefined;
    try {
      if (consoleAt) {
        consoleServer = await startConsoleServer({
          service: service.contract,
          events: service.events,
          staticDir,
          host: consoleAt.host,
          port: consoleAt.port,
          token: loadOrCreateConsoleToken(dataDir),
          log,
          faults: host.faults,
          notReady: () => host.notReady(),
          ...(values['console-name'] ? { names: values['console-name'] } : {}),
        });
      }
    } catch (e) {
      service.close();
      await host.close();
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'EADDRINUSE') {
        throw new QuorumError(
          'CONSOLE_PORT_IN_USE',
          `The console address ${consoleSpec} is in use.`,
          'Choose another with --console ADDR:PORT, or --console off.',
        );
      }
      throw e;
    }

    const where = describeAddresses(host.addresses());
    log(`Quorum host ${host.identity.hostId} listening on ${where.join(', ')} (data: ${dataDir})`);
    log(`host key fingerprint ${host.identity.fingerprint}`);
    const gate = host.gate();
    if (!gate.serving) log(`not activating clients yet: ${gate.reason}`);
    if (admission?.allowedRanges) log(`admitting clients from ${admission.allowedRanges.join(', ')} only`);
    if (admission?.siteToken) log('requests must carry the site token');
    if (consoleServer) log(`console: ${consoleServer.url}`);
    // From here on a fault in any listener is logged and counted, and the host keeps serving.
    const stopGuard = keepServingOnUncaught(host.faults);

    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        log(`${signal}: shutting down`);
        resolve();
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    });
    service.close();
    await consoleServer?.close();
    await host.close();
    stopGuard();
    log('stopped');
    return 0;
  },
};
