// The baseline: a bare Node TCP request/response server with the same message sizes, persisting nothing.
import { startBareTcpServer } from './wire-baseline.js';
import { answerStatsOnStdin } from './process-stats.js';

const server = await startBareTcpServer();
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
answerStatsOnStdin(() => server.close());
