/** What the `quorum dns ...` commands share: the host's store and facts, and how a result is printed. */
import { HostKeyRepository } from '../../authority/index.js';
import { QAP_DEFAULT_PORT } from '../../../shared/protocol/qap-types.js';
import { machineAddresses, type DnsContext, type HostFacts } from '../../dns/dns-publisher.js';
import { HOST_PORT_KEY, type ZoneResult } from '../../dns/publish-list.js';
import { databasePath, openStore } from '../../store/open-store.js';
import type { SqliteStore } from '../../store/sqlite-store.js';
import { ensureDataDir, resolveDataDir } from '../data-dir.js';
import { failureLine, printJson, type CliIo } from '../cli-kit.js';

export const DNS_DATA_DIR_HELP = `  --data-dir DIR     the host installation; default $QUORUM_DATA_DIR or $XDG_DATA_HOME/quorum`;

export async function withDnsContext<T>(
  dataDirFlag: string | undefined,
  run: (ctx: DnsContext & { store: SqliteStore }) => Promise<T>,
): Promise<T> {
  const dataDir = ensureDataDir(resolveDataDir(dataDirFlag));
  const store = openStore({ file: databasePath(dataDir) });
  try {
    return await run({ dataDir, store, clock: { now: () => Date.now() } });
  } finally {
    store.close();
  }
}

/** The port to publish: --port, else the port the host last listened on, else 1688. */
export function cliHostFacts(store: SqliteStore, port: number | undefined): HostFacts {
  const recorded = Number(store.getSetting(HOST_PORT_KEY));
  return {
    port: port ?? (Number.isInteger(recorded) && recorded > 0 ? recorded : QAP_DEFAULT_PORT),
    addresses: machineAddresses,
    hostKeyInstalled: new HostKeyRepository(store.db).get() !== undefined,
  };
}

/** Prints a zone result; returns the exit code (1 when it failed). */
export function reportZoneResult(io: CliIo, zone: string, result: ZoneResult, json: boolean): number {
  if (json) printJson(io, { zone, ...result });
  else if (result.ok) io.out(result.message);
  else io.err(failureLine({ code: result.code ?? 'DNS_FAILED', message: result.message, hint: result.hint }));
  return result.ok ? 0 : 1;
}
