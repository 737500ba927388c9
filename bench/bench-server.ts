// A server under benchmark in its own process: it prints its port, then answers `stats` on stdin (bench/process-stats.ts).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { ProcessStats } from './process-stats.js';

export interface BenchServer {
  port: number;
  stats(): Promise<ProcessStats>;
  /** Sends a command line the server understands (bench/process-stats.ts) and returns its answer. */
  command(line: string): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

export async function startBenchServer(file: string, args: string[]): Promise<BenchServer> {
  const child = spawn(process.execPath, ['bin/run-ts.js', file, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines = createInterface({ input: child.stdout });
  const waiting: { resolve: (value: Record<string, unknown>) => void; reject: (e: Error) => void }[] = [];
  lines.on('line', (line) => waiting.shift()?.resolve(JSON.parse(line) as Record<string, unknown>));
  // One exit listener for all questions (one per question grew past the EventEmitter warning).
  child.once('exit', () => {
    for (const w of waiting.splice(0)) w.reject(new Error(`${file} exited: ${stderr}`));
  });
  const next = () => new Promise<Record<string, unknown>>((resolve, reject) => waiting.push({ resolve, reject }));
  const { port } = (await next()) as { port: number };
  return {
    port,
    stats: async () => {
      const reply = next();
      child.stdin.write('stats\n');
      return (await reply).stats as ProcessStats;
    },
    command: async (line) => {
      const reply = next();
      child.stdin.write(`${line}\n`);
      return reply;
    },
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.stdin.end();
      }),
  };
}
