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
import type { Writable } from 'node:stream';
import { QuorumError } from '../../../shared/domain/errors.js';
import { COUNT_CAP } from '../../store/client-query.js';
import { exportClientsPaged } from '../../store/export.js';
import { databasePath, openStore } from '../../store/open-store.js';
import { storeError } from '../../store/store-errors.js';
import { CliUsageError, intOption, parseCommandArgs, processIo, type CliIo, type Command } from '../cli-kit.js';
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
  --text T           only clients whose machine name, address or CMID contains T (any case)

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

/** The line under the table: how many clients match, honest when the count stopped at a cap. */
export function totalLine(window: ClientWindow): string {
  const n = window.total.toLocaleString('en-US');
  const count = window.totalIsLowerBound ? `More than ${n} clients` : `${n} client${window.total === 1 ? '' : 's'}`;
  const shown =
    window.totalIsLowerBound || window.rows.length < window.total
      ? `, the ${window.rows.length} most recently seen shown`
      : '';
  return `${count}${shown}. Export all with --csv or --json.`;
}

/** Where the output goes; `write` resolves once the receiver can take more. */
export interface OutputSink {
  write(chunk: string): Promise<void>;
  /** Resolves when everything written has been handed to the operating system. */
  finish(): Promise<void>;
}

function outputError(e: Error): QuorumError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED') {
    return new QuorumError(
      'OUTPUT_CLOSED',
      'The program reading the output closed it before the end; what it got is incomplete.',
      'Nothing was changed. For a complete export, write it to a file: quorum clients --csv > clients.csv',
    );
  }
  return new QuorumError(
    'OUTPUT_FAILED',
    `Writing the output failed: ${e.message}; what was written is incomplete.`,
    'Check the file or device the output goes to (free space, permissions), then run the command again.',
  );
}

/**
 * A sink over a stream that waits while it is full: stdout to a pipe or a terminal queues every
 * write in memory otherwise, the whole export of a million clients. A failed write (EPIPE from
 * `| head`, ENOSPC) becomes one error line instead of an unhandled 'error' event.
 */
export function streamSink(stream: Writable): OutputSink {
  let failure: Error | undefined;
  stream.on('error', (e) => {
    failure ??= e;
  });
  const check = () => {
    if (failure) throw outputError(failure);
  };
  const settled = (events: string[]) =>
    new Promise<void>((resolve) => {
      const done = () => {
        for (const ev of events) stream.off(ev, done);
        resolve();
      };
      for (const ev of events) stream.on(ev, done);
    });
  return {
    async write(chunk) {
      check();
      if (!stream.write(chunk)) await settled(['drain', 'error', 'close']);
      check();
    },
    async finish() {
      check();
      await new Promise<void>((resolve) => stream.write('', () => resolve()));
      check();
    },
  };
}

function sinkFor(io: CliIo): OutputSink {
  if (io === processIo) return streamSink(process.stdout);
  return { write: async (chunk) => io.out(chunk), finish: async () => {} };
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
    if (values.json && values.csv) throw new CliUsageError('Choose one of --json and --csv.');
    const limit = intOption('limit', values.limit, 1, 1000) ?? 50;
    const text = values.text?.trim();
    if (text !== undefined && text.length > 200) throw new CliUsageError('--text is at most 200 characters.');
    const catalog = new ProductCatalog();
    const product = values.product === undefined ? undefined : catalog.find(values.product);
    if (values.product !== undefined && !product) {
      throw new CliUsageError(`Unknown product "${values.product}". Known: ${catalog.names().join(', ')}.`);
    }
    if ((values.json || values.csv) && (product || values.text !== undefined)) {
      throw new CliUsageError('--product and --text apply to the table; exports hold every client.');
    }
    const store = openStore({ file: databasePath(resolveDataDir(values['data-dir'])), readonly: true, catalog });
    const sink = sinkFor(io);
    try {
      if (values.json || values.csv) {
        try {
          await exportClientsPaged(store.db, values.csv ? 'csv' : 'json', (chunk) => sink.write(chunk));
        } catch (e) {
          throw storeError(store.file, e, 'exporting clients');
        }
        await sink.finish();
        return 0;
      }
      const window = store.queryClients({
        offset: 0,
        limit,
        sort: { column: 'lastSeen', direction: 'desc' },
        filter: { ...(product ? { productId: product.id } : {}), ...(text ? { text } : {}) },
      });
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
