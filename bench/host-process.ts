// The Quorum host under benchmark, in its own process: every activation committed to SQLite before its reply.
import { startHost } from '../src-main/host/host-runtime.js';
import { writeHostSetting } from '../src-main/host/host-settings.js';
import { databasePath, openStore } from '../src-main/store/open-store.js';
import { answerStatsOnStdin } from './process-stats.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: host-process.ts DATA_DIR');
// The load comes from one address: the per-address limits (rate, connections, new machines per
// hour) would measure themselves.
const settings = openStore({ file: databasePath(dataDir) });
writeHostSetting(settings, 'new-clients-per-address-per-hour', '0');
settings.close();
const host = await startHost({
  dataDir,
  listen: [{ host: '127.0.0.1', port: 0 }],
  limits: { requestsPerAddressPerSecond: 0, maxConnectionsPerAddress: 0, maxConnections: 4096 },
});
process.stdout.write(`${JSON.stringify({ port: host.addresses()[0]!.port })}\n`);
answerStatsOnStdin(() => host.close());
