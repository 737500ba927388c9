// The Quorum host under benchmark, in its own process: every activation committed to SQLite before its reply.
import { startHost } from '../src-main/host/host-runtime.js';
import { answerStatsOnStdin } from './process-stats.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: host-process.ts DATA_DIR');
const host = await startHost({
  dataDir,
  listen: [{ host: '127.0.0.1', port: 0 }],
  // The load comes from one address; the per-address rate limit would measure itself.
  limits: { requestsPerAddressPerSecond: 0, maxConnections: 4096 },
});
process.stdout.write(`${JSON.stringify({ port: host.addresses()[0]!.port })}\n`);
answerStatsOnStdin(() => host.close());
