// pino-roll ships no type declarations; this is the part of its API Quorum uses.
declare module 'pino-roll' {
  import type { DestinationStream } from 'pino';

  interface PinoRollOptions {
    file: string | (() => string);
    size?: string | number;
    frequency?: 'daily' | 'hourly' | number;
    extension?: string;
    mkdir?: boolean;
    limit?: { count: number; removeOtherLogFiles?: boolean };
    dateFormat?: string;
    symlink?: boolean;
  }

  export default function pinoRoll(options: PinoRollOptions): Promise<DestinationStream & { end(): void }>;
}
