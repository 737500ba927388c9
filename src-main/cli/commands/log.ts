/**
 * `quorum log`: the request log (Microsoft's event 12290: every request with its result, the count
 * and what was needed, the client, its license state). The newest entries as a table, or the whole
 * log streamed as CSV or JSON. Reads the database read-only, so a running host keeps serving.
 */
import { LICENSE_STATE_NAMES, ProductCatalog } from '../../../shared/domain/index.js';
import type { RequestLogEntry } from '../../../shared/domain/records.js';
import { exportRequestLogPaged } from '../../store/export.js';
import { openReader } from '../../host/open-reader.js';
import { CliUsageError, intOption, parseCommandArgs, type Command } from '../cli-kit.js';
import { resolveDataDir } from '../data-dir.js';
import { exportFormat, formatTable, isoSeconds, sinkFor, writeExport } from '../output.js';

const HELP = `Usage: quorum log [--data-dir DIR] [--json | --csv] [--limit N]

The request log: every activation request the host answered, with its result, the count and the
count needed, the client's name, address and CMID, its license state and VM flag, and the product
(like Microsoft's event 12290). Without --json or --csv, shows the N newest (default 50). --csv and
--json write the whole log, oldest first (times in ISO 8601 UTC). How long entries are kept:
quorum settings (request-log-max-age, request-log-max-rows). Safe while the host runs.

Options:
  --data-dir DIR     the host installation; default $QUORUM_DATA_DIR or $XDG_DATA_HOME/quorum
  --csv              the whole log as CSV (RFC 4180), e.g. for a spreadsheet
  --json             the whole log as a JSON array
  --limit N          entries in the table (1..1000, default 50)

Examples:
  quorum log --data-dir ./office-host --limit 20
  quorum log --csv > requests.csv`;

function table(rows: RequestLogEntry[]): string {
  const catalog = new ProductCatalog();
  return formatTable(
    ['TIME', 'RESULT', 'COUNT', 'MACHINE', 'ADDRESS', 'PRODUCT', 'LICENSE STATE', 'VM'],
    rows.map((e) => [
      isoSeconds(e.at),
      e.result,
      e.countNeeded > 0 ? `${e.count} of ${e.countNeeded}` : '',
      e.machineName,
      e.address,
      catalog.byId(e.productId)?.displayName ?? e.productId,
      LICENSE_STATE_NAMES[e.licenseState] ?? '',
      e.isVm ? 'yes' : 'no',
    ]),
  );
}

export const log: Command = {
  path: ['log'],
  summary: 'the request log: every request and its result (table, --csv or --json)',
  help: HELP,
  async run(args, io) {
    const { values } = parseCommandArgs(args, {
      'data-dir': { type: 'string' },
      json: { type: 'boolean' },
      csv: { type: 'boolean' },
      limit: { type: 'string' },
    });
    const format = exportFormat(values);
    if (format && values.limit !== undefined) {
      throw new CliUsageError('--limit applies to the table; exports hold the whole log.');
    }
    const limit = intOption('limit', values.limit, 1, 1000) ?? 50;
    const store = openReader(resolveDataDir(values['data-dir']), { warn: (line) => io.err(line) });
    const sink = sinkFor(io);
    try {
      if (format) {
        await writeExport(sink, store.file, 'exporting the request log', (out) =>
          exportRequestLogPaged(store.db, format, out),
        );
        return 0;
      }
      const window = store.queryRequestLog({ offset: 0, limit, newestFirst: true });
      if (window.total === 0) {
        await sink.write('No requests logged yet.\n');
      } else {
        const n = window.total.toLocaleString('en-US');
        const shown = window.rows.length < window.total ? `, the ${window.rows.length} newest shown` : '';
        await sink.write(
          `${table(window.rows)}\n${n} entr${window.total === 1 ? 'y' : 'ies'}${shown}. Export all with --csv or --json.\n`,
        );
      }
      await sink.finish();
      return 0;
    } finally {
      store.close();
    }
  },
};
