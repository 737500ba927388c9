/**
 * What the table and export commands write: a plain-text table for a person, and a sink that
 * waits for a slow reader, so an export of a million rows never sits in memory whole.
 */
import type { Writable } from 'node:stream';
import { QuorumError } from '../../shared/domain/errors.js';
import type { ExportFormat } from '../store/export.js';
import { storeError } from '../store/store-errors.js';
import { AfterOutputError, CliUsageError, processIo, type CliIo } from './cli-kit.js';

/** "2026-01-01 09:30:00Z": a time as a table shows it (exports keep full ISO 8601). */
export function isoSeconds(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
}

/** Columns padded to their widest cell, two spaces apart, no trailing blanks. */
export function formatTable(head: string[], body: string[][]): string {
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
      'Nothing was changed. For a complete export, write it to a file, e.g. quorum clients --csv > clients.csv',
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

export function sinkFor(io: CliIo): OutputSink {
  if (io === processIo) return streamSink(process.stdout);
  return { write: async (chunk) => io.out(chunk), finish: async () => {} };
}

/** The export a table command was asked for with --json or --csv, if any; both at once is a usage error. */
export function exportFormat(values: { json?: boolean; csv?: boolean }): ExportFormat | undefined {
  if (values.json && values.csv) throw new CliUsageError('Choose one of --json and --csv.');
  return values.csv ? 'csv' : values.json ? 'json' : undefined;
}

/** Streams one whole export into the sink; a fault of the database names its file and what was being read. */
export async function writeExport(
  sink: OutputSink,
  file: string,
  what: string,
  run: (out: (chunk: string) => Promise<void>) => Promise<number>,
): Promise<void> {
  let started = false;
  try {
    await run((chunk) => {
      started = true;
      return sink.write(chunk);
    });
  } catch (e) {
    const err = storeError(file, e, what);
    if (!started) throw err;
    try {
      await sink.finish();
    } catch {
      // The output's own failure is not the one to report.
    }
    throw new AfterOutputError(err);
  }
  await sink.finish();
}
