/**
 * The desktop app seals the DNS publish list's TSIG keys with the OS keychain (safeStorage of the
 * stand-in `electron` module, a real cipher under the keychain's key), against a real BIND9: a key
 * the CLI left as a plain file is sealed at the app's start and still publishes; a key added in
 * the console is written sealed; the CLI on the same data directory says the key is sealed and
 * what to do, takes the key file instead, and what it could not do the app does at its next sync.
 * Without a usable keychain (none, or Linux's "basic_text") the app keeps owner-only files.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runDesktopApp, type DesktopApp } from '../../../src-main/electron/desktop-app.js';
import { osSecretSealer } from '../../../src-main/electron/os-secret-sealer.js';
import { keyPath } from '../../../src-main/dns/tsig-key-store.js';
import { dispatchInvoke } from '../../../src-main/service/dispatch.js';
import { isSealed, SEALED_HEADER } from '../../../src-main/store/secret-file.js';
import type { DnsResultView } from '../../../shared/ipc/dns-channels.js';
import type { Wrapped } from '../../../shared/ipc/views.js';
import { activateDataDir, tempDataDir } from '../../support/activated-host.js';
import { startBind9, type Bind9 } from '../../support/bind9.js';
import { record } from '../../support/electron-stand-in.js';
import { publishArgs, quorumCli, succeeded } from '../dns/support/dns-fixtures.js';

let bind: Bind9;
let desktop: DesktopApp;
const dataDir = tempDataDir('quorum-sealed-');
const logDir = join(tempDataDir('quorum-logs-'), 'logs');
const zone = 'office.test';
const srv = () => bind.dig(`_quorum._tcp.${zone}`, 'SRV');
const appPort = () => desktop.host()!.addresses()[0]!.port;
const sealedOnDisk = (z = zone) => isSealed(readFileSync(keyPath(dataDir, z)));

const logLines = () =>
  readdirSync(logDir)
    .filter((f) => f.endsWith('.log'))
    .flatMap((f) => readFileSync(join(logDir, f), 'utf8').trim().split('\n'))
    .map((l) => JSON.parse(l) as { msg: string; secrets?: string });

beforeAll(async () => {
  bind = await startBind9();
  activateDataDir(dataDir);
  // Before the app ever ran: the CLI publishes and keeps the key as a plain owner-only file.
  succeeded(await quorumCli(publishArgs(bind, dataDir, 'app.office.test', ['--address', '127.0.0.1'])));
  expect(sealedOnDisk()).toBe(false);
  desktop = (await runDesktopApp({ dataDir, logDir, listen: [{ host: '127.0.0.1', port: 0 }] }))!;
  // The first sync (sealing first) has run once this one, queued after it, returns.
  await desktop.host()!.dns.syncNow();
}, 60_000);

afterAll(async () => {
  await desktop?.host()?.close();
  await bind?.stop();
});

describe('the desktop app and the OS keychain', () => {
  it('seals at its start the key the CLI left plain, and publishes with it', async () => {
    expect(sealedOnDisk()).toBe(true);
    expect(readFileSync(keyPath(dataDir, zone), 'latin1')).not.toContain(bind.keySecret);
    expect(record.keychain.sealed).toBeGreaterThanOrEqual(1);
    // The CLI published port 1688 (no host had run); the app's sync moved it to its own port.
    expect(await srv()).toEqual([`0 100 ${appPort()} app.office.test.`]);
    expect(record.keychain.opened).toBeGreaterThanOrEqual(1);
    await vi.waitFor(
      () => {
        const lines = logLines();
        expect(lines.find((l) => l.secrets === 'os')?.msg).toContain('sealed with the OS keychain (gnome_libsecret)');
        expect(lines.map((l) => l.msg)).toContain(
          `DNS: sealed the TSIG keys of ${zone} with the OS keychain (gnome_libsecret)`,
        );
      },
      { timeout: 5_000 },
    );
  });

  it('writes a key added in the console sealed', async () => {
    const added = (await dispatchInvoke(desktop.service()!.contract, 'dns:add-zone', {
      zone,
      server: bind.server,
      keyText: readFileSync(bind.keyFile, 'utf8'),
      target: 'app.office.test',
      addresses: ['127.0.0.1'],
    })) as Wrapped<DnsResultView>;
    expect(added).toMatchObject({ ok: true, value: { ok: true, action: 'publish' } });
    expect(readFileSync(keyPath(dataDir, zone), 'latin1').startsWith(SEALED_HEADER)).toBe(true);
  });

  it('the CLI on the same data directory says the key is sealed and what to do, not that it is damaged', async () => {
    const run = await quorumCli(['dns', 'withdraw', '--zone', zone, '--data-dir', dataDir]);
    expect(run.code).toBe(1);
    expect(run.err).toContain("is sealed with the desktop app's OS keychain: only the app can use it");
    expect(run.err).toContain(`quorum dns withdraw --zone ${zone} --tsig-key FILE`);
    expect(run.err).toContain('(DNS_KEY_SEALED)');
    // Nothing changed: the records, the list and the key stay.
    expect(await srv()).toEqual([`0 100 ${appPort()} app.office.test.`]);
    expect(sealedOnDisk()).toBe(true);
  });

  it('what `quorum dns off` and `on` cannot do without the key, the running app does at its next sync', async () => {
    const off = await quorumCli(['dns', 'off', '--data-dir', dataDir]);
    expect(off.code).toBe(1);
    expect(off.out).toContain('DNS publishing is off.');
    expect(off.out).toContain('sealed');
    expect(await srv()).toEqual([`0 100 ${appPort()} app.office.test.`]);
    // Not held back 5 minutes as a failed withdrawal would be: the app has the keychain.
    await desktop.host()!.dns.syncNow();
    expect(await srv()).toEqual([]);

    expect((await quorumCli(['dns', 'on', '--data-dir', dataDir])).code).toBe(1);
    await desktop.host()!.dns.syncNow();
    expect(await srv()).toEqual([`0 100 ${appPort()} app.office.test.`]);
  });

  it('`quorum dns withdraw --tsig-key FILE` withdraws with the key file and removes the sealed copy', async () => {
    const run = succeeded(
      await quorumCli(['dns', 'withdraw', '--zone', zone, '--tsig-key', bind.keyFile, '--data-dir', dataDir]),
    );
    expect(run.out).toContain('Withdrew');
    expect(await srv()).toEqual([]);
    expect(existsSync(keyPath(dataDir, zone))).toBe(false);
  });
});

describe('choosing how the app keeps secrets', () => {
  const saved = { ...record.keychain };
  const restore = () => Object.assign(record.keychain, saved);

  it('seals with a keychain, and not with Linux "basic_text", none yet ("unknown") or none at all', async () => {
    try {
      const chosen = await osSecretSealer('linux');
      expect(chosen.sealer).toMatchObject({ kind: 'os', label: 'the OS keychain (gnome_libsecret)' });
      const sealed = await chosen.sealer.seal(Buffer.from([0, 255, 10, 13]));
      expect(await chosen.sealer.open(sealed)).toEqual(Buffer.from([0, 255, 10, 13]));
      expect((await osSecretSealer('win32')).sealer).toMatchObject({ kind: 'os', label: 'the OS keychain' });

      record.keychain.backend = 'basic_text';
      expect(await osSecretSealer('linux')).toMatchObject({
        sealer: { kind: 'plain' },
        note: expect.stringContaining('basic_text'),
      });
      record.keychain.backend = 'unknown';
      expect((await osSecretSealer('linux')).sealer.kind).toBe('plain');
      record.keychain.backend = 'gnome_libsecret';
      record.keychain.available = false;
      expect(await osSecretSealer('darwin')).toMatchObject({
        sealer: { kind: 'plain' },
        note: 'secrets are kept as owner-only files: the OS keychain is not available to the app',
      });
    } finally {
      restore();
    }
  });
});
