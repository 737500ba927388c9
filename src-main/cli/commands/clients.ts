/**
 * `quorum clients`: the client inventory. A table of the most recently seen clients for a person,
 * or the whole inventory streamed as CSV or JSON for a spreadsheet or a script. Reads the database
 * read-only, so a running host keeps serving.
 */
import {
  BUILTIN_PRODUCTS,
  LICENSE_STATE_NAMES,
  ProductCatalog,
  type ClientRow,
  type ClientWindow,
} from '../../../shared/domain/index.js';
import { COUNT_CAP } from '../../store/client-query.js';
import { EVERY_CLIENT, exportClientsPaged } from '../../store/export.js';
import { clientViewOf, VIEW_HELP, VIEW_OPTIONS } from '../client-view-options.js';
import { openReader } from '../../host/open-reader.js';
import { intOption, parseCommandArgs, type Command } from '../cli-kit.js';
import { exportFormat, formatTable, isoSeconds, sinkFor, writeExport } from '../output.js';
import { resolveDataDir } from '../data-dir.js';

const HELP = `Usage: quorum clients [--data-dir DIR] [--json | --csv] [--limit N] [filters] [--sort C[:desc]]

Lists the clients this host has seen: machine name, address, product, license state, VM,
first and last seen, requests and the last result. Without --json or --csv, shows the first N
(default 50; the most recently seen first unless --sort says otherwise) and how many match in
all. --csv and --json write every client that matches (every client without a filter, by machine
name unless --sort), with the columns of the console's export and times in ISO 8601 UTC. The
filters are the console's Clients view's. A text found in very many clients is counted only up
to ${COUNT_CAP.toLocaleString('en-US')} ("more than ${COUNT_CAP.toLocaleString('en-US')}"). Safe while the host runs.

Options:
  --data-dir DIR     the host installation; default $QUORUM_DATA_DIR or $XDG_DATA_HOME/quorum
  --csv              the clients as CSV (RFC 4180), e.g. for a spreadsheet
  --json             the clients as a JSON array
  --limit N          rows in the table (1..1000, default 50)
${VIEW_HELP}

Products: ${BUILTIN_PRODUCTS.map((p) => p.name).join(', ')} (and the catalogue's others).

Examples:
  quorum clients --data-dir ./office-host
  quorum clients --state initial-grace --seen-within 7d
  quorum clients --csv > clients.csv
  quorum clients --csv --result count-insufficient --sort last-seen:desc > waiting.csv`;

function table(rows: ClientRow[]): string {
  return formatTable(
    ['MACHINE', 'ADDRESS', 'PRODUCT', 'LICENSE STATE', 'VM', 'LAST SEEN', 'REQUESTS', 'LAST RESULT'],
    rows.map((r) => [
      r.machineName,
      r.address,
      r.productName,
      LICENSE_STATE_NAMES[r.licenseState] ?? String(r.licenseState),
      r.isVm ? 'yes' : 'no',
      isoSeconds(r.lastSeen),
      String(r.requestCount),
      r.lastResult,
    ]),
  );
}

/** The line under the table: how many clients match, honest when the count stopped at a cap. */
export function totalLine(window: ClientWindow, sorted = false): string {
  const n = window.total.toLocaleString('en-US');
  const count = window.totalIsLowerBound ? `At least ${n} clients` : `${n} client${window.total === 1 ? '' : 's'}`;
  const which = sorted ? `the first ${window.rows.length}` : `the ${window.rows.length} most recently seen`;
  const shown = window.totalIsLowerBound || window.rows.length < window.total ? `, ${which} shown` : '';
  return `${count}${shown}. Export all with --csv or --json.`;
}

export const clients: Command = {
  path: ['clients'],
  summary: 'list the clients this host has seen (table, --csv or --json)',
  help: HELP,
  async run(args, io) {
    const { values } = parseCommandArgs(args, {
      'data-dir': { type: 'string' },
      json: { type: 'boolean' },
      csv: { type: 'boolean' },
      limit: { type: 'string' },
      ...VIEW_OPTIONS,
    });
    const format = exportFormat(values);
    const limit = intOption('limit', values.limit, 1, 1000) ?? 50;
    const catalog = new ProductCatalog();
    const view = clientViewOf(values, catalog);
    const store = openReader(resolveDataDir(values['data-dir']), { catalog, warn: (line) => io.err(line) });
    const sink = sinkFor(io);
    try {
      if (format) {
        const exported = { sort: view.sort ?? EVERY_CLIENT.sort, filter: view.filter };
        await writeExport(sink, store.file, 'exporting clients', (out) =>
          exportClientsPaged(store.db, format, out, exported),
        );
        return 0;
      }
      const window = store.queryClients(
        { offset: 0, limit, sort: view.sort ?? { column: 'lastSeen', direction: 'desc' }, filter: view.filter },
        { wholeCount: true },
      );
      if (window.total === 0) {
        const which = view.productName ? `${view.productName} clients` : 'clients';
        const { text, productId: _product, ...others } = view.filter;
        const why = Object.keys(others).length > 0 ? 'these filters' : text !== undefined ? `"${text}"` : undefined;
        await sink.write(why ? `No ${which} match ${why}.\n` : `No ${which} yet.\n`);
      } else {
        await sink.write(`${table(window.rows)}\n${totalLine(window, view.sort !== undefined)}\n`);
      }
      await sink.finish();
      return 0;
    } finally {
      store.close();
    }
  },
};
