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
import { exportClientsPaged } from '../../store/export.js';
import { openReader } from '../../host/open-reader.js';
import { CliUsageError, intOption, parseCommandArgs, type Command } from '../cli-kit.js';
import { exportFormat, formatTable, isoSeconds, sinkFor, writeExport } from '../output.js';
import { resolveDataDir } from '../data-dir.js';

const HELP = `Usage: quorum clients [--data-dir DIR] [--json | --csv] [--limit N] [--product P] [--text T]

Lists the clients this host has seen: machine name, address, product, license state, VM,
first and last seen, requests and the last result. Without --json or --csv, shows the N most
recently seen (default 50) and how many there are in all. --csv and --json write every client
(times in ISO 8601 UTC); --product and --text limit the table. A text found in very many clients
is counted only up to ${COUNT_CAP.toLocaleString('en-US')} ("more than ${COUNT_CAP.toLocaleString('en-US')}"). Safe while the host runs.

Options:
  --data-dir DIR     the host installation; default $QUORUM_DATA_DIR or $XDG_DATA_HOME/quorum
  --csv              every client as CSV (RFC 4180), e.g. for a spreadsheet
  --json             every client as a JSON array
  --limit N          rows in the table (1..1000, default 50)
  --product P        only this product, by short name (${BUILTIN_PRODUCTS.map((p) => p.name).join(', ')}) or id
  --text T           only clients whose machine name, address or CMID contains T (any case);
                     a T of one or two characters only at their start

Examples:
  quorum clients --data-dir ./office-host
  quorum clients --csv > clients.csv`;

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
export function totalLine(window: ClientWindow): string {
  const n = window.total.toLocaleString('en-US');
  const count = window.totalIsLowerBound ? `At least ${n} clients` : `${n} client${window.total === 1 ? '' : 's'}`;
  const shown =
    window.totalIsLowerBound || window.rows.length < window.total
      ? `, the ${window.rows.length} most recently seen shown`
      : '';
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
      product: { type: 'string' },
      text: { type: 'string' },
    });
    const format = exportFormat(values);
    const limit = intOption('limit', values.limit, 1, 1000) ?? 50;
    const text = values.text?.trim();
    if (text !== undefined && text.length > 200) throw new CliUsageError('--text is at most 200 characters.');
    const catalog = new ProductCatalog();
    const product = values.product === undefined ? undefined : catalog.find(values.product);
    if (values.product !== undefined && !product) {
      throw new CliUsageError(`Unknown product "${values.product}". Known: ${catalog.names().join(', ')}.`);
    }
    if (format && (product || values.text !== undefined)) {
      throw new CliUsageError('--product and --text apply to the table; exports hold every client.');
    }
    const store = openReader(resolveDataDir(values['data-dir']), { catalog, warn: (line) => io.err(line) });
    const sink = sinkFor(io);
    try {
      if (format) {
        await writeExport(sink, store.file, 'exporting clients', (out) => exportClientsPaged(store.db, format, out));
        return 0;
      }
      const window = store.queryClients(
        {
          offset: 0,
          limit,
          sort: { column: 'lastSeen', direction: 'desc' },
          filter: { ...(product ? { productId: product.id } : {}), ...(text ? { text } : {}) },
        },
        { wholeCount: true },
      );
      if (window.total === 0) {
        const which = product ? `${product.displayName} clients` : 'clients';
        await sink.write(text ? `No ${which} match "${text}".\n` : `No ${which} yet.\n`);
      } else {
        await sink.write(`${table(window.rows)}\n${totalLine(window)}\n`);
      }
      await sink.finish();
      return 0;
    } finally {
      store.close();
    }
  },
};
