// A floor server (bench/floor-server.ts) in its own process: `protocol` or `durable`, with the host identity of DATA_DIR.
import { join } from 'node:path';
import { loadOrCreateHostIdentity } from '../src-main/host/identity.js';
import { startFloorServer } from './floor-server.js';
import { answerStatsOnStdin } from './process-stats.js';

const [dataDir, kind] = process.argv.slice(2);
if (!dataDir || (kind !== 'protocol' && kind !== 'durable')) {
  throw new Error('usage: floor-process.ts DATA_DIR protocol|durable');
}
const identity = loadOrCreateHostIdentity(dataDir);
const durableFile = kind === 'durable' ? join(dataDir, 'floor.sqlite') : undefined;
const server = await startFloorServer({ identity, durableFile });
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
answerStatsOnStdin(() => server.close());
