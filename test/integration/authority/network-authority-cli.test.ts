/**
 * The two-terminal walkthrough of docs/keys.md as processes: the vendor's `quorum authority serve`
 * over HTTPS with its own certificate, and an office host's `quorum key activate --authority URL`.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../../shared/domain/clock.js';
import { installKey, issueKey, keyInfo } from '../../../src-main/authority/index.js';
import { quorum } from '../../support/quorum-cli.js';

const clock: Clock = { now: () => Date.now() };
const stops: (() => void)[] = [];
afterEach(() => {
  while (stops.length) stops.pop()!();
});

function selfSignedCert(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'pipe' },
  );
  return { cert, key };
}

/** Starts `quorum authority serve` and resolves with the URL and fingerprint it prints. */
function serveAuthority(args: string[]): Promise<{ url: string; fingerprint: string }> {
  const child = spawn('node', ['bin/quorum.js', 'authority', 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  stops.push(() => child.kill('SIGTERM'));
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const url = /listening on (https?:\/\/[^\s,]+)/.exec(out)?.[1];
      const fingerprint = /authority key fingerprint ([0-9a-f]{64})/.exec(out)?.[1];
      if (url && fingerprint) resolve({ url, fingerprint });
    });
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('exit', (code) => reject(new Error(`authority serve exited ${code}: ${out}`)));
  });
}

describe('quorum authority serve and key activate --authority URL, as processes', () => {
  it('activates over HTTPS with a private CA, pins the key, and explains a TLS failure', async () => {
    const vendor = mkdtempSync(join(tmpdir(), 'quorum-vendor-'));
    const office = mkdtempSync(join(tmpdir(), 'quorum-office-'));
    const tls = selfSignedCert(vendor);
    installKey(office, clock, issueKey(vendor, clock, 'desktop', 1).text);
    const served = await serveAuthority([
      '--data-dir',
      vendor,
      '--listen',
      '127.0.0.1:0',
      '--tls-cert',
      tls.cert,
      '--tls-key',
      tls.key,
    ]);
    expect(served.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);

    const untrusted = quorum(['key', 'activate', '--authority', served.url, '--data-dir', office]);
    expect(untrusted.code).toBe(1);
    expect(untrusted.stderr).toMatch(/AUTHORITY_TLS/);
    expect(untrusted.stderr).toContain('--authority-ca');

    const r = quorum([
      'key',
      'activate',
      '--authority',
      served.url,
      '--authority-ca',
      tls.cert,
      '--data-dir',
      office,
      '--json',
    ]);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, state: 'activated', activation: { hostsUsed: 1 } });
    expect(keyInfo(office, clock).activation?.authority).toBe(served.url);
  });

  it('says where the authority cannot be reached, and what to do instead', () => {
    const office = mkdtempSync(join(tmpdir(), 'quorum-office-'));
    installKey(office, clock, issueKey(mkdtempSync(join(tmpdir(), 'quorum-vendor-')), clock, 'desktop', 1).text);
    const r = quorum(['key', 'activate', '--authority', 'http://127.0.0.1:9', '--data-dir', office]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot be reached .*quorum key activate --offline.*\(AUTHORITY_UNREACHABLE\)/);
  });
});
