/**
 * A real BIND9 for tests: a foreground `named` on 127.0.0.1 at a free high port, with one primary
 * zone that accepts TSIG-signed dynamic updates (docs/operations.md, "DNS").
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
  /**
   * The zone's update-policy statements (without braces); default: the key may change anything
   * in the zone. Quorum's documented line is `grant KEY name _quorum._tcp.ZONE SRV;`.
   */
  updatePolicy?: string;
  /** Names of further keys the server knows but the policy does not grant (for REFUSED tests). */
  otherKeys?: string[];
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
  /** Key files of `otherKeys`, by name. */
  readonly otherKeyFiles: Record<string, string>;
  readonly dir: string;
  /** `dig +short` of NAME TYPE at this server, one answer a line (sorted). */
  dig(name: string, type: string): Promise<string[]>;
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

function run(file: string, args: string[], input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { timeout: 10_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${file} ${args.join(' ')} failed: ${err.message}\n${stdout}${stderr}`));
      else resolve(stdout);
    });
    // dig never reads its input and may exit before it is written: that EPIPE is not a failure.
    child.stdin?.on('error', () => {});
    child.stdin?.end(input);
  });
}

function keyText(name: string, secret: string): string {
  return `key "${name}" {\n  algorithm hmac-sha256;\n  secret "${secret}";\n};\n`;
}

export async function startBind9(options: Bind9Options = {}): Promise<Bind9> {
  const zone = options.zone ?? 'office.test';
  const keyName = options.keyName ?? 'quorum-key';
  const keySecret = randomBytes(32).toString('base64');
  const dir = await mkdtemp(join(tmpdir(), 'quorum-bind9-'));
  const port = await freePort();
  const keyFile = join(dir, 'tsig.key');
  await writeFile(keyFile, keyText(keyName, keySecret));
  const otherKeyFiles: Record<string, string> = {};
  for (const name of options.otherKeys ?? []) {
    otherKeyFiles[name] = join(dir, `${name}.key`);
    await writeFile(otherKeyFiles[name], keyText(name, randomBytes(32).toString('base64')));
  }
  const policy = options.updatePolicy ?? `grant ${keyName} zonesub ANY;`;
  await writeFile(
    join(dir, 'named.conf'),
    [
      `include "${keyFile}";`,
      ...Object.values(otherKeyFiles).map((f) => `include "${f}";`),
      `options { directory "${dir}"; pid-file "${dir}/named.pid"; listen-on port ${port} { 127.0.0.1; };`,
      `  listen-on-v6 { none; }; recursion no; dnssec-validation no; };`,
      `controls { };`,
      `zone "${zone}" { type primary; file "${dir}/zone.db"; update-policy { ${policy} }; };`,
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
    otherKeyFiles,
    dir,
    dig: async (name, type) =>
      (await run('dig', ['@127.0.0.1', '-p', String(port), name, type, '+short', '+time=3', '+tries=2'], ''))
        .split('\n')
        .filter((l) => l.trim() !== '')
        .sort(),
    log: () => output,
    stop,
    update: async (lines) => {
      await run(
        'nsupdate',
        ['-k', keyFile],
        [`server 127.0.0.1 ${port}`, `zone ${zone}`, ...lines, 'send', ''].join('\n'),
      );
    },
  };
}
