/**
 * The console's settings page: reads every host setting and changes one, through the running host.
 * The same checks as `quorum settings set` (settings-operations.ts); a running host also applies
 * the change: intervals and admission at once, the port and addresses by restarting the listener,
 * and only a change that worked is stored.
 */
import { QuorumError } from '../../shared/domain/errors.js';
import type { ConsoleContract } from '../../shared/ipc/contract.js';
import type { SettingView, SettingsView } from '../../shared/ipc/settings-channels.js';
import type { HostRuntime, ListenAddress } from '../host/host-runtime.js';
import {
  checkSettingChange,
  readSettings,
  storeSettingChange,
  type SettingChange,
} from '../host/settings-operations.js';
import { describeAddresses } from '../rpc/listener.js';

type SettingsChannels = 'settings:get' | 'settings:set' | 'settings:site-token';

/** Every address: dual stack where the machine has IPv6, else IPv4 only (as `quorum serve` starts). */
const ALL_ADDRESSES = [['::'], ['0.0.0.0']];

export function createSettingsService(
  host: HostRuntime,
  /** Called after every change with the settings as they are now. */
  changed: (settings: SettingsView) => void,
): Pick<ConsoleContract, SettingsChannels> {
  const target = { store: host.store, dataDir: host.dataDir };
  const listening = () => describeAddresses(host.addresses());

  /** Admission as in force, which `quorum serve --allow/--site-token-file` may have set for this run. */
  const inForce = (s: SettingView): SettingView => {
    const a = host.admission();
    if (s.name === 'allowed-ranges') {
      const ranges = a?.allowedRanges ?? [];
      return { ...s, value: ranges, text: ranges.length ? ranges.join(', ') : 'any', isDefault: ranges.length === 0 };
    }
    if (s.name === 'site-token') {
      const on = Boolean(a?.siteToken);
      return { ...s, value: on, text: on ? 'on' : 'off', isDefault: !on };
    }
    return s;
  };
  const view = (): SettingsView => ({ settings: readSettings(target).map(inForce), listening: listening() });

  async function relisten(hostsToTry: string[][], port: number): Promise<void> {
    let last: unknown;
    for (const hosts of hostsToTry) {
      try {
        await host.relisten(hosts.map((h): ListenAddress => ({ host: h, port })));
        return;
      } catch (e) {
        last = e;
        if (!(e instanceof QuorumError && e.code === 'HOST_ADDRESS_UNAVAILABLE')) break;
      }
    }
    throw last;
  }

  async function apply(change: SettingChange): Promise<string> {
    const current = host.addresses();
    switch (change.kind) {
      case 'port': {
        await relisten([[...new Set(current.map((a) => a.host))]], change.port);
        storeSettingChange(target, change);
        return `The listener restarted: listening on ${listening().join(', ')}.`;
      }
      case 'addresses': {
        const port = current[0]?.port ?? 0;
        await relisten(change.addresses.length ? [change.addresses] : ALL_ADDRESSES, port);
        storeSettingChange(target, change);
        return `The listener restarted: listening on ${listening().join(', ')}.`;
      }
      case 'ranges': {
        const next = { ...host.admission(), allowedRanges: change.ranges };
        host.setAdmission(next);
        storeSettingChange(target, change);
        return change.ranges.length
          ? `From now on only clients from ${change.ranges.join(', ')} may activate.`
          : 'From now on clients from any address may activate.';
      }
      case 'site-token': {
        const { siteToken } = storeSettingChange(target, change);
        const { siteToken: _old, ...rest } = host.admission() ?? {};
        host.setAdmission(siteToken ? { ...rest, siteToken } : rest);
        return siteToken
          ? 'A new site token is required from now on: give it to the clients; requests without it are refused.'
          : 'Requests no longer need a site token.';
      }
      case 'numeric': {
        storeSettingChange(target, change);
        host.refresh();
        const s = readSettings(target).find((x) => x.name === change.name)!;
        if (s.applies !== 'at-once') return `Stored: ${s.value} ${s.unit}, applied when the host next starts.`;
        const learn = s.unit === 'minutes' ? '; clients learn it with their next reply' : '';
        return `The host uses ${s.value} ${s.unit} now${learn}.`;
      }
    }
  }

  // One change at a time: two listener restarts must not interleave.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(run: () => Promise<T>): Promise<T> => {
    const next = queue.then(run, run);
    queue = next.catch(() => undefined);
    return next;
  };

  return {
    'settings:get': async () => view(),
    'settings:set': ({ name, value }) =>
      serial(async () => {
        const applied = await apply(checkSettingChange(name, value));
        const settings = view();
        changed(settings);
        return { setting: settings.settings.find((s) => s.name === name)!, applied, settings };
      }),
    'settings:site-token': async () => ({ token: host.admission()?.siteToken ?? null }),
  };
}
