/**
 * A benchmark server process reports its CPU time and memory when asked on stdin, so the
 * driver can attribute server-side cost per activation.
 */
import { createInterface } from 'node:readline';

export interface ProcessStats {
  cpuUs: number;
  rssBytes: number;
}

export function answerStatsOnStdin(onClose: () => Promise<void>): void {
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    if (line === 'stats') {
      const cpu = process.cpuUsage();
      const stats: ProcessStats = { cpuUs: cpu.user + cpu.system, rssBytes: process.memoryUsage.rss() };
      process.stdout.write(`${JSON.stringify({ stats })}\n`);
    }
  });
  lines.on('close', () => void onClose().then(() => process.exit(0)));
}
