/**
 * A benchmark server process reports its CPU time and memory when asked on stdin, so the
 * driver can attribute server-side cost per activation.
 */
import { createInterface } from 'node:readline';

export interface ProcessStats {
  cpuUs: number;
  rssBytes: number;
}

/** Other commands a server understands on stdin (each answered with one JSON line). */
export type Commands = Record<string, () => Record<string, unknown>>;

export function answerStatsOnStdin(onClose: () => Promise<void>, commands: Commands = {}): void {
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    const command = commands[line];
    if (command) process.stdout.write(`${JSON.stringify(command())}\n`);
    else if (line === 'stats') {
      const cpu = process.cpuUsage();
      const stats: ProcessStats = { cpuUs: cpu.user + cpu.system, rssBytes: process.memoryUsage.rss() };
      process.stdout.write(`${JSON.stringify({ stats })}\n`);
    }
  });
  lines.on('close', () => void onClose().then(() => process.exit(0)));
}
