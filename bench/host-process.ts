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

// While on, the console reads in a loop as a busy admin would: text-filtered windows of the client
// table, sorted several ways, one after another, on the host's console reader.
let reading = false;
let reads = 0;
async function readLoop(): Promise<void> {
  const sorts = ['lastSeen', 'machineName', 'address'] as const;
  for (let i = 0; reading; i++) {
    await host.reader.queryClients({
      offset: 0,
      limit: 100,
      sort: { column: sorts[i % sorts.length]!, direction: i % 2 ? 'asc' : 'desc' },
      filter: { text: ['pc', 'bench', '10.', '-12'][i % 4]! },
    });
    reads++;
  }
}
answerStatsOnStdin(() => host.close(), {
  'reads on': () => {
    reading = true;
    reads = 0;
    void readLoop();
    return { reading: true };
  },
  'reads off': () => {
    reading = false;
    return { reads };
  },
});
