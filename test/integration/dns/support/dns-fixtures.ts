/** Runs `quorum ...` in this process with captured output, and starts activated hosts for the DNS tests. */
import { main } from '../../../../src-main/cli/main.js';
import { startHost, type HostRuntime } from '../../../../src-main/host/host-runtime.js';
import { activateDataDir, tempDataDir } from '../../../support/activated-host.js';
import type { Bind9 } from '../../../support/bind9.js';

export interface CliRun {
  args: string[];
  code: number;
  out: string;
  err: string;
}

export async function quorumCli(args: string[]): Promise<CliRun> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) });
  return { args, code, out, err };
}

/**
 * `run`, when it exited 0; otherwise an error that carries the command's stderr and stdout, so a
 * failure in a loaded run says why (a DNS timeout, a refused update) and not only "1 is not 0".
 */
export function succeeded(run: CliRun): CliRun {
  if (run.code !== 0) {
    throw new Error(
      `quorum ${run.args.join(' ')} exited ${run.code}:\n--- stderr ---\n${run.err}--- stdout ---\n${run.out}`,
    );
  }
  return run;
}

/** An activated host on a free loopback port whose periodic DNS sync stays out of the way (tests call syncNow). */
export async function startDnsHost(dataDir = activatedDir(), admission?: { siteToken?: string }): Promise<HostRuntime> {
  const host = await startHost({
    dataDir,
    admission,
    listen: [{ host: '127.0.0.1', port: 0 }],
    log: (l) => process.env.DNS_DEBUG && console.log(l),
    dns: { syncMs: 3_600_000, addresses: () => ['127.0.0.1'], timeoutMs: 3000 },
  });
  await host.dns.syncNow();
  return host;
}

export function activatedDir(): string {
  const dir = tempDataDir('quorum-dns-');
  activateDataDir(dir);
  return dir;
}

export function portOf(host: HostRuntime): number {
  return host.addresses()[0]!.port;
}

/** The arguments of `quorum dns publish` into the BIND's zone with its key, for `dataDir`. */
export function publishArgs(bind: Bind9, dataDir: string, target: string, extra: string[] = []): string[] {
  return [
    'dns',
    'publish',
    '--zone',
    bind.zone,
    '--server',
    bind.server,
    '--tsig-key',
    bind.keyFile,
    '--target',
    target,
    '--data-dir',
    dataDir,
    ...extra,
  ];
}
