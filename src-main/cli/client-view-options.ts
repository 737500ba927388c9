/**
 * `quorum clients`' view options: the filters and the sort of the console's Clients view, in the
 * words a command line takes (`--state initial-grace --vm yes --seen-within 7d --sort last-seen:desc`).
 */
import {
  CLIENT_SORT_COLUMNS,
  REQUEST_RESULTS,
  SEEN_WITHIN,
  SORT_WORDS,
  licenseStateNamed,
  licenseStateWords,
  type ClientSortColumn,
  type ClientWindowQuery,
  type ProductCatalog,
  type RequestResult,
} from '../../shared/domain/index.js';
import { CliUsageError } from './cli-kit.js';

export const VIEW_OPTIONS = {
  product: { type: 'string' },
  text: { type: 'string' },
  state: { type: 'string' },
  vm: { type: 'string' },
  result: { type: 'string' },
  'seen-within': { type: 'string' },
  sort: { type: 'string' },
} as const;

export type ViewValues = Partial<Record<keyof typeof VIEW_OPTIONS, string>>;

/** A list of words after `lead`, wrapped under the option descriptions' column. */
function listed(lead: string, words: readonly string[]): string {
  const lines = [lead];
  for (const [i, w] of words.entries()) {
    const word = i < words.length - 1 ? `${w},` : w;
    if (`${lines.at(-1)!} ${word}`.length > 100) lines.push(`${' '.repeat(21)}${word}`);
    else lines[lines.length - 1] += ` ${word}`;
  }
  return lines.join('\n');
}

export const VIEW_HELP = [
  '  --product P        only this product, by short name or id',
  '  --text T           only clients whose machine name, address or CMID contains T (any case);',
  '                     a T of one or two characters only at their start',
  listed('  --state S          only this reported license state:', licenseStateWords()),
  '  --vm yes|no        only virtual machines, or only physical ones',
  listed('  --result R         only clients whose last request got this answer:', REQUEST_RESULTS),
  listed(
    '  --seen-within W    only clients seen within',
    SEEN_WITHIN.map((s) => s.value),
  ),
  listed('  --sort C[:desc]    ascending, or with :desc descending, by', SORT_WORDS),
].join('\n');

export interface ClientViewChoice {
  filter: ClientWindowQuery['filter'];
  sort?: ClientWindowQuery['sort'];
  /** Words for "No … clients": the product's name, if any. */
  productName?: string;
}

function oneOf<T extends string>(option: string, value: string, allowed: readonly T[]): T {
  const v = value.trim().toLowerCase();
  const found = allowed.find((a) => a.toLowerCase() === v);
  if (!found) throw new CliUsageError(`--${option} must be one of ${allowed.join(', ')}; got "${value}".`);
  return found;
}

function sortOf(value: string): ClientWindowQuery['sort'] {
  const [word = '', dir, extra] = value.split(':');
  if (extra !== undefined || (dir !== undefined && dir !== 'asc' && dir !== 'desc')) {
    throw new CliUsageError(`--sort takes a column and, after a colon, asc or desc: "last-seen:desc"; got "${value}".`);
  }
  const i = SORT_WORDS.findIndex((w, n) => w === word.toLowerCase() || CLIENT_SORT_COLUMNS[n] === word);
  if (i < 0) throw new CliUsageError(`--sort must name one of ${SORT_WORDS.join(', ')}; got "${word}".`);
  return { column: CLIENT_SORT_COLUMNS[i] as ClientSortColumn, direction: dir === 'desc' ? 'desc' : 'asc' };
}

/** The view the options name; each value is checked, and a wrong one says what it may be. */
export function clientViewOf(values: ViewValues, catalog: ProductCatalog): ClientViewChoice {
  const filter: ClientWindowQuery['filter'] = {};
  let productName: string | undefined;
  if (values.text !== undefined) {
    const text = values.text.trim();
    if (text.length > 200) throw new CliUsageError('--text is at most 200 characters.');
    if (text) filter.text = text;
  }
  if (values.product !== undefined) {
    const product = catalog.find(values.product);
    if (!product) throw new CliUsageError(`Unknown product "${values.product}". Known: ${catalog.names().join(', ')}.`);
    filter.productId = product.id;
    productName = product.displayName;
  }
  if (values.state !== undefined) {
    const state = licenseStateNamed(values.state);
    if (state === undefined) {
      throw new CliUsageError(
        `--state must be one of ${licenseStateWords().join(', ')} (or 0-6); got "${values.state}".`,
      );
    }
    filter.licenseState = state;
  }
  if (values.vm !== undefined) filter.isVm = oneOf('vm', values.vm, ['yes', 'no']) === 'yes';
  if (values.result !== undefined) filter.lastResult = oneOf<RequestResult>('result', values.result, REQUEST_RESULTS);
  if (values['seen-within'] !== undefined) {
    const w = oneOf(
      'seen-within',
      values['seen-within'],
      SEEN_WITHIN.map((s) => s.value),
    );
    filter.seenWithinMs = SEEN_WITHIN.find((s) => s.value === w)!.ms;
  }
  return {
    filter,
    ...(values.sort !== undefined ? { sort: sortOf(values.sort) } : {}),
    ...(productName ? { productName } : {}),
  };
}
