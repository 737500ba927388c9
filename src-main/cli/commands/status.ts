/**
 * `quorum status`: like slmgr /dlv. Reads the data directory's database read-only (a running host
 * keeps serving), restores an engine from it and prints the engine's status report.
 */
import { ProductCatalog } from '../../../shared/domain/index.js';
import { coveredProducts, servingState } from '../../authority/serving-state.js';
import { Engine } from '../../engine/engine.js';
import { intervalsFromSettings } from '../../engine/settings.js';
import { buildStatusReport, formatStatusReport } from '../../engine/status-report.js';
import type { ServingGate } from '../../engine/types.js';
import { hostFingerprintJson, hostFingerprintRows, readHostFingerprint } from '../../host/host-fingerprint.js';
import { openReader } from '../../host/open-reader.js';
import { directoryExposure } from '../../store/private-files.js';
import type { SqliteStore } from '../../store/sqlite-store.js';
import { parseCommandArgs, printJson, type Command } from '../cli-kit.js';
import { resolveDataDir } from '../data-dir.js';

const HELP = `Usage: quorum status [--data-dir DIR] [--json]

Shows what slmgr /dlv shows for this host: whether it activates clients (and why not), the
activation and renewal intervals, and the requests received (total, failed, by license state),
plus, for each application, the current count against each product threshold and, for a met
threshold, until when it stays met if no other client renews. It also shows the host ID and the
key fingerprint clients pin (quorum client --pin FINGERPRINT). Reads the database read-only, so
it is safe while the host runs.

Options:
  --data-dir DIR     the host installation; default $QUORUM_DATA_DIR or $XDG_DATA_HOME/quorum
  --json             print as JSON

Example:
  quorum status --data-dir ./office-host`;

const systemClock = { now: () => Date.now() };

function readGate(store: SqliteStore): ServingGate {
  try {
    // As the running host reads it: serving, and which products the key covers.
    const gate = servingState(store.db);
    const coverage = gate.serving ? coveredProducts(store.db) : null;
    return coverage ? { serving: true, coverage } : gate;
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { serving: false, reason: `The host key state could not be read (${why}). Run: quorum key info.` };
  }
}

export const status: Command = {
  path: ['status'],
  summary: 'show the host status, counts against thresholds and the forecast (like slmgr /dlv)',
  help: HELP,
  async run(args, io) {
    const { values } = parseCommandArgs(args, { 'data-dir': { type: 'string' }, json: { type: 'boolean' } });
    const dataDir = resolveDataDir(values['data-dir']);
    const catalog = new ProductCatalog();
    const store = openReader(dataDir, { catalog, warn: (line) => io.err(line) });
    try {
      const engine = new Engine({ clock: systemClock, catalog, servingGate: readGate(store) });
      engine.restore(store.loadEngineSnapshot());
      engine.changeIntervals(intervalsFromSettings((key) => store.getSetting(key)));
      const identity = readHostFingerprint(dataDir);
      const exposure = directoryExposure(dataDir);
      const report = buildStatusReport(engine.status(), catalog, [
        { label: 'Data directory', value: dataDir },
        ...hostFingerprintRows(identity),
        ...(exposure ? [{ label: 'Warning', value: exposure }] : []),
      ]);
      if (values.json) printJson(io, { ok: true, host: hostFingerprintJson(identity), status: report });
      else io.out(formatStatusReport(report));
      return 0;
    } finally {
      store.close();
    }
  },
};
