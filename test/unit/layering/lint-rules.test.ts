// The layering rules (docs/architecture.md) are lint rules; these cases prove each one refuses a crossing import.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function ruleHits(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.severity === 2).map((m) => m.ruleId ?? m.message);
}

describe('layering lint rules', () => {
  it.each([
    ['shared/domain/bad.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"],
    [
      'shared/ipc/bad.ts',
      "import { startHost } from '../../src-main/host/host-runtime.js';\nexport const x = startHost;\n",
    ],
    ['shared/keys/bad.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    [
      'src-renderer/src/bad.ts',
      "import { openStore } from '../../src-main/store/open-store.js';\nexport const x = openStore;\n",
    ],
    ['src-renderer/src/bad2.ts', "import { createServer } from 'node:net';\nexport const x = createServer;\n"],
    ['src-main/service/bad.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    [
      'src-main/dns/bad.ts',
      "import { createConsoleService } from '../service/console-service.js';\nexport const x = createConsoleService;\n",
    ],
    ['src-main/dns/bad2.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['src-main/engine/bad.ts', "import Database from 'better-sqlite3';\nexport const x = Database;\n"],
    ['src-main/engine/bad2.ts', "import { writeFileSync } from 'fs';\nexport const x = writeFileSync;\n"],
    // The simulator is used by the CLI, the console service and the bench only, and stays off the network.
    ['src-main/host/bad.ts', "import { runSimulation } from '../sim/simulator.js';\nexport const x = runSimulation;\n"],
    [
      'src-main/engine/bad4.ts',
      "import { runSimulation } from '../sim/simulator.js';\nexport const x = runSimulation;\n",
    ],
    [
      'src-main/electron/bad.ts',
      "import { runSimulation } from '../sim/simulator.js';\nexport const x = runSimulation;\n",
    ],
    ['src-main/store/bad.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    [
      'src-main/sim/bad.ts',
      "import { startRpcListener } from '../rpc/listener.js';\nexport const x = startRpcListener;\n",
    ],
    ['src-main/sim/bad2.ts', "import { runCli } from '../cli/main.js';\nexport const x = runCli;\n"],
    // Inside src-main, each layer imports only those below it (docs/architecture.md).
    [
      'src-main/host/bad2.ts',
      "import { resolveDataDir } from '../cli/data-dir.js';\nexport const x = resolveDataDir;\n",
    ],
    [
      'src-main/authority/bad.ts',
      "import { startHost } from '../host/host-runtime.js';\nexport const x = startHost;\n",
    ],
    [
      'src-main/store/bad2.ts',
      "import { peerAddress } from '../rpc/peer-address.js';\nexport const x = peerAddress;\n",
    ],
    [
      'src-main/client/bad.ts',
      "import { loadOrCreateHostIdentity } from '../host/identity.js';\nexport const x = loadOrCreateHostIdentity;\n",
    ],
    ['src-main/rpc/bad.ts', "import { openStore } from '../store/open-store.js';\nexport const x = openStore;\n"],
    ['src-main/service/bad2.ts', "import { COMMANDS } from '../cli/commands/index.js';\nexport const x = COMMANDS;\n"],
    [
      'src-main/headless/bad.ts',
      "import { CliUsageError } from '../cli/cli-kit.js';\nexport const x = CliUsageError;\n",
    ],
    ['src-main/engine/bad5.ts', "import { openStore } from '../store/open-store.js';\nexport const x = openStore;\n"],
  ])('refuses the import in %s', async (file, code) => {
    expect(await ruleHits(file, code)).toContain('no-restricted-imports');
  });

  it('refuses the wall clock and timers in the engine', async () => {
    const hits = await ruleHits('src-main/engine/bad3.ts', 'export const t = Date.now();\nsetTimeout(() => {}, 1);\n');
    expect(hits.filter((h) => h === 'no-restricted-syntax')).toHaveLength(2);
  });

  it('accepts the imports each layer may make', async () => {
    expect(
      await ruleHits('src-main/electron/ok.ts', "import { app } from 'electron';\nexport const x = app;\n"),
    ).toEqual([]);
    expect(
      await ruleHits(
        'src-renderer/src/ok.ts',
        "import { LicenseState } from '../../shared/domain/license-state.js';\nexport const x = LicenseState;\n",
      ),
    ).toEqual([]);
    expect(
      await ruleHits('src-main/store/ok.ts', "import Database from 'better-sqlite3';\nexport const x = Database;\n"),
    ).toEqual([]);
    for (const user of ['src-main/cli/commands/ok.ts', 'src-main/service/ok.ts', 'bench/ok.ts']) {
      expect(
        await ruleHits(user, "import { runSimulation } from '../sim/simulator.js';\nexport const x = runSimulation;\n"),
      ).toEqual([]);
    }
    expect(
      await ruleHits(
        'src-main/host/ok.ts',
        "import { openStore } from '../store/open-store.js';\nimport { startRpcListener } from '../rpc/listener.js';\nexport const x = [openStore, startRpcListener];\n",
      ),
    ).toEqual([]);
    expect(
      await ruleHits(
        'src-main/cli/commands/ok2.ts',
        "import { startHost } from '../../host/host-runtime.js';\nimport { startConsoleServer } from '../../headless/console-server.js';\nexport const x = [startHost, startConsoleServer];\n",
      ),
    ).toEqual([]);
    expect(
      await ruleHits(
        'src-main/sim/ok.ts',
        "import { Engine } from '../engine/engine.js';\nimport { createClient } from '../client/client.js';\nexport const x = [Engine, createClient];\n",
      ),
    ).toEqual([]);
  });
});
