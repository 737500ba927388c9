/**
 * `quorum clients`: the client inventory. A table of the most recently seen clients for a person,
 * or the whole inventory streamed as CSV or JSON for a spreadsheet or a script. Reads the database
 * read-only, so a running host keeps serving.
 */
import { BUILTIN_PRODUCTS, LICENSE_STATE_NAMES, ProductCatalog, type ClientRow } from '../../../shared/domain/index.js';
import { databasePath, openStore } from '../../store/open-store.js';
import { CliUsageError, intOption, parseCommandArgs, type Command } from '../cli-kit.js';
import { resolveDataDir } from '../data-dir.js';

const HELP = `Usage: quorum clients [--data-dir DIR] [--json | --csv] [--limit N] [--product P]

Lists the clients this host has seen: machine name, address, product, license state, VM,
first and last seen, requests and the last result. Without --json or --csv, shows the N most
recently seen (default 50) and how many there are in all. --csv and --json write every client
(times in ISO 8601 UTC); --product limits the table to one product. Safe while the host runs.

Options:
  --data-dir DIR     the host installation; default $QUORUM_DATA_DIR or $XDG_DATA_HOME/quorum
  --csv              every client as CSV (RFC 4180), e.g. for a spreadsheet
  --json             every client as a JSON array
  --limit N          rows in the table (1..1000, default 50)
  --product P        only this product, by short name (${BUILTIN_PRODUCTS.map((p) => p.name).join(', ')}) or id

Examples:
  quorum clients --data-dir ./office-host
  quorum clients --csv > clients.csv`;

function iso(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
}

function table(rows: ClientRow[]): string {
  const head = ['MACHINE', 'ADDRESS', 'PRODUCT', 'LICENSE STATE', 'VM', 'LAST SEEN', 'REQUESTS', 'LAST RESULT'];
  const body = rows.map((r) => [
    r.machineName,
    r.address,
    r.productName,
    LICENSE_STATE_NAMES[r.licenseState] ?? String(r.licenseState),
    r.isVm ? 'yes' : 'no',
    iso(r.lastSeen),
    String(r.requestCount),
    r.lastResult,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  return [head, ...body]
    .map((cells) =>
      cells
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
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
    });
    if (values.json && values.csv) throw new CliUsageError('Choose one of --json and --csv.');
    const limit = intOption('limit', values.limit, 1, 1000) ?? 50;
    const catalog = new ProductCatalog();
    const product = values.product === undefined ? undefined : catalog.find(values.product);
    if (values.product !== undefined && !product) {
      throw new CliUsageError(`Unknown product "${values.product}". Known: ${catalog.names().join(', ')}.`);
    }
    const store = openStore({ file: databasePath(resolveDataDir(values['data-dir'])), readonly: true, catalog });
    try {
      if (values.json || values.csv) {
        if (product) throw new CliUsageError('--product applies to the table; exports hold every client.');
        store.exportClients(values.csv ? 'csv' : 'json', (chunk) => io.out(chunk));
        return 0;
      }
      const window = store.queryClients({
        offset: 0,
        limit,
        sort: { column: 'lastSeen', direction: 'desc' },
        filter: product ? { productId: product.id } : {},
      });
      if (window.total === 0) {
        io.out(product ? `No ${product.displayName} clients yet.` : 'No clients yet.');
        return 0;
      }
      io.out(table(window.rows));
      const shown = window.rows.length < window.total ? `, the ${window.rows.length} most recently seen shown` : '';
      io.out(`${window.total} client${window.total === 1 ? '' : 's'}${shown}. Export all with --csv or --json.`);
      return 0;
    } finally {
      store.close();
    }
  },
};
