/**
 * A real BIND9 for tests: a foreground `named` on 127.0.0.1 at a free high port, with one primary
 * zone that accepts TSIG-signed dynamic updates (workplace.md, "BIND9 as the real DNS peer").
 * Records can be put in the zone file at start or changed later with nsupdate.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { promises as dns } from 'node:dns';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Bind9Options {
  /** Zone origin, e.g. "office.test". */
  zone?: string;
  /** Extra zone-file lines (relative names), e.g. `_quorum._tcp 300 IN SRV 0 60 1688 host1`. */
  records?: string[];
  keyName?: string;
}

export interface Bind9 {
  readonly address: string;
  readonly port: number;
  /** "127.0.0.1:PORT", the form --dns-server takes. */
  readonly server: string;
  readonly zone: string;
  readonly keyName: string;
  /** Base64 HMAC-SHA256 secret of the TSIG key. */
  readonly keySecret: string;
  readonly keyFile: string;
  readonly dir: string;
  /** Runs nsupdate with the TSIG key; `lines` are update commands ("update add ..."), `send` is appended. */
  update(lines: string[]): Promise<void>;
  /** Everything named printed so far (for failure messages). */
  log(): string;
  stop(): Promise<void>;
}

/** A port free on 127.0.0.1 for both TCP and UDP, as named listens on both. */
async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = createServer();
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const sock = createSocket('udp4');
      sock.once('error', () => resolve(false));
      sock.bind(port, '127.0.0.1', () => sock.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
  throw new Error('No free port for named on 127.0.0.1 after 20 tries.');
}

function run(file: string, args: string[], input: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { timeout: 10_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${file} ${args.join(' ')} failed: ${err.message}\n${stdout}${stderr}`));
      else resolve();
    });
    child.stdin?.end(input);
  });
}

export async function startBind9(options: Bind9Options = {}): Promise<Bind9> {
  const zone = options.zone ?? 'office.test';
  const keyName = options.keyName ?? 'quorum-key';
  const keySecret = randomBytes(32).toString('base64');
  const dir = await mkdtemp(join(tmpdir(), 'quorum-bind9-'));
  const port = await freePort();
  const keyFile = join(dir, 'tsig.key');
  await writeFile(keyFile, `key "${keyName}" {\n  algorithm hmac-sha256;\n  secret "${keySecret}";\n};\n`);
  await writeFile(
    join(dir, 'named.conf'),
    [
      `include "${keyFile}";`,
      `options { directory "${dir}"; pid-file "${dir}/named.pid"; listen-on port ${port} { 127.0.0.1; };`,
      `  listen-on-v6 { none; }; recursion no; dnssec-validation no; };`,
      `controls { };`,
      `zone "${zone}" { type primary; file "${dir}/zone.db"; update-policy { grant ${keyName} zonesub ANY; }; };`,
      '',
    ].join('\n'),
  );
  await writeFile(
    join(dir, 'zone.db'),
    [
      `$ORIGIN ${zone}.`,
      '$TTL 300',
      `@ IN SOA ns1 hostmaster 1 3600 600 86400 60`,
      '@ IN NS ns1',
      'ns1 IN A 127.0.0.1',
      ...(options.records ?? []),
      '',
    ].join('\n'),
  );

  const child: ChildProcess = spawn('named', ['-g', '-u', 'root', '-c', join(dir, 'named.conf')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let running = true;
  void exited.then(() => (running = false));

  const stop = async (): Promise<void> => {
    if (running) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };

  // Ready when it answers the zone's SOA; bounded to ~10 s.
  const probe = new dns.Resolver({ timeout: 200, tries: 1 });
  probe.setServers([`127.0.0.1:${port}`]);
  let ready = false;
  for (let i = 0; i < 50 && running && !ready; i++) {
    try {
      await probe.resolveSoa(zone);
      ready = true;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  if (!ready) {
    const log = output;
    await stop();
    throw new Error(`named did not start on 127.0.0.1:${port}:\n${log}`);
  }

  return {
    address: '127.0.0.1',
    port,
    server: `127.0.0.1:${port}`,
    zone,
    keyName,
    keySecret,
    keyFile,
    dir,
    log: () => output,
    stop,
    update: (lines) =>
      run('nsupdate', ['-k', keyFile], [`server 127.0.0.1 ${port}`, `zone ${zone}`, ...lines, 'send', ''].join('\n')),
  };
}
