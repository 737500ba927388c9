/**
 * The desktop app's log: pino lines (JSON, one per line) into a file in the app's log folder,
 * rolled daily or at 10 MB, the newest ten kept. The headless `quorum serve` writes its lines to
 * standard output instead, for the service manager's journal.
 */
import pino, { type Logger } from 'pino';
import pinoRoll from 'pino-roll';
import { join } from 'node:path';

export type { Logger } from 'pino';

export const LOG_FILE_BASE = 'quorum';
export const LOG_KEEP_FILES = 10;

export async function createFileLogger(logDir: string): Promise<Logger> {
  const stream = await pinoRoll({
    file: join(logDir, LOG_FILE_BASE),
    extension: '.log',
    frequency: 'daily',
    size: '10m',
    mkdir: true,
    limit: { count: LOG_KEEP_FILES },
  });
  return pino({ base: { pid: process.pid } }, stream);
}

export function createStdoutLogger(): Logger {
  return pino({ base: { pid: process.pid } });
}

/** The host's own log lines (`HostOptions.log`) into the logger. */
export function hostLogLines(logger: Logger): (line: string) => void {
  return (line) => logger.info({ source: 'host' }, line);
}
