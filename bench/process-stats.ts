/**
 * A benchmark server process reports its CPU time and memory when asked on stdin, so the
 * driver can attribute server-side cost per activation.
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

export interface ProcessStats {
  cpuUs: number;
  rssBytes: number;
  /**
   * Linux only: RSS split into anonymous memory (the JS heap, SQLite's page cache, buffers) and
   * file-backed pages (the memory-mapped database, code), which the kernel can drop under pressure.
   */
  rssAnonBytes?: number;
  rssFileBytes?: number;
  heapUsedBytes: number;
  /**
   * Linux only: CPU time of the process's main thread alone, the one that answers activations
   * (its worker threads, the console reader's among them, are left out).
   */
  mainThreadCpuUs?: number;
}

function statusKb(status: string, field: string): number | undefined {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return m ? Number(m[1]) * 1024 : undefined;
}

/** The main thread's time on a CPU, from the scheduler's own count in nanoseconds. */
function mainThreadCpuUs(): number | undefined {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1000;
  } catch {
    return undefined;
  }
}

function stats(): ProcessStats {
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  let status = '';
  try {
    status = readFileSync('/proc/self/status', 'utf8');
  } catch {
    // Not Linux: the split is left out.
  }
  return {
    cpuUs: cpu.user + cpu.system,
    rssBytes: memory.rss,
    rssAnonBytes: statusKb(status, 'RssAnon'),
    rssFileBytes: statusKb(status, 'RssFile'),
    heapUsedBytes: memory.heapUsed,
    mainThreadCpuUs: mainThreadCpuUs(),
  };
}

/** Other commands a server understands on stdin (each answered with one JSON line). */
export type Commands = Record<string, () => Record<string, unknown>>;

export function answerStatsOnStdin(onClose: () => Promise<void>, commands: Commands = {}): void {
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    const command = commands[line];
    if (command) process.stdout.write(`${JSON.stringify(command())}\n`);
    else if (line === 'stats') process.stdout.write(`${JSON.stringify({ stats: stats() })}\n`);
  });
  lines.on('close', () => void onClose().then(() => process.exit(0)));
}
