/** What the client reports while it works: the CLI prints these, tests assert on them. */
import type { SrvTarget } from '../dns/srv-select.js';

export type ClientEvent =
  | { type: 'attempt-start'; at: number; productId: string }
  | { type: 'dns-query'; name: string; server: string }
  | { type: 'dns-records'; name: string; records: SrvTarget[] }
  | { type: 'host-try'; host: string; address: string; cached: boolean }
  | { type: 'host-failed'; host: string; code: string; message: string }
  | { type: 'cache-dropped'; host: string }
  | {
      type: 'attempt-end';
      at: number;
      activated: boolean;
      code?: string;
      message?: string;
      host?: string;
      nextAttemptAt: number;
    };
