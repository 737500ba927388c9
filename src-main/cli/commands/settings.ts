import type { SettingView } from '../../../shared/ipc/settings-channels.js';
import { HOST_SETTINGS } from '../../host/host-settings.js';
import { NETWORK_SETTING_HELP, changeSetting, readSettings } from '../../host/settings-operations.js';
import { databasePath, openStore } from '../../store/open-store.js';
import { CliUsageError, parseCommandArgs, printJson, type Command } from '../cli-kit.js';
import { ensureDataDir, resolveDataDir } from '../data-dir.js';

const SPECS = [...HOST_SETTINGS, ...NETWORK_SETTING_HELP];
const NAME_WIDTH = Math.max(...SPECS.map((s) => s.name.length)) + 1;
const NAMES = SPECS.map((s) => `  ${s.name.padEnd(NAME_WIDTH)} ${s.unit.padEnd(12)} ${s.summary}`).join('\n');

/** "120 minutes", "1688", "any": a quantity with its unit, a port or a list as it is. */
function valueText(s: SettingView): string {
  return typeof s.value === 'number' && s.name !== 'port' ? `${s.text} ${s.unit}` : s.text;
}

/**
 * When a change made here reaches a running host: it re-reads the intervals, the new-machine
 * allowance and its admission within seconds (the admission unless a flag of `quorum serve` set
 * it); the port, addresses and listener limits when it next starts (the console's Settings page
 * restarts the listener for the port and addresses).
 */
function fromCommandLine(s: SettingView): SettingView {
  return { ...s, applies: s.applies === 'at-once' ? 'at-once' : 'next-start' };
}

function line(s: SettingView): string {
  // A bad interval stops the host at start; any other bad stored value is skipped with a warning.
  const fix = `quorum settings set ${s.name} VALUE replaces it`;
  const note =
    s.ignored !== undefined
      ? s.applies === 'at-once' && typeof s.value === 'number'
        ? `(the stored value "${s.ignored}" is not valid: the host does not start until ${fix})`
        : `(default: the stored value "${s.ignored}" is not valid and is not used; ${fix})`
      : s.isDefault
        ? '(default)'
        : '';
  return `${s.name.padEnd(NAME_WIDTH)} ${valueText(s).padEnd(18)} ${note}`.trimEnd();
}

export const settingsList: Command = {
  path: ['settings'],
  summary: 'show the host settings (intervals, log retention, admission, port and addresses)',
  help: `Usage: quorum settings [--data-dir DIR] [--json]

Shows each host setting with its value, its unit and whether it is the default: the same list
as the console's Settings page. Change one with: quorum settings set NAME VALUE

Settings:
${NAMES}`,
  async run(args, io) {
    const { values } = parseCommandArgs(args, { 'data-dir': { type: 'string' }, json: { type: 'boolean' } });
    const dataDir = resolveDataDir(values['data-dir']);
    const store = openStore({ file: databasePath(dataDir), readonly: true });
    try {
      const settings = readSettings({ store, dataDir }).map(fromCommandLine);
      if (values.json) printJson(io, settings);
      else for (const s of settings) io.out(line(s));
      return 0;
    } finally {
      store.close();
    }
  },
};

export const settingsSet: Command = {
  path: ['settings', 'set'],
  summary: 'check and change a host setting',
  help: `Usage: quorum settings set NAME VALUE [--data-dir DIR] [--json]

Checks and stores a host setting; VALUE "default" restores the default. A running host applies
the intervals (clients learn them with their next reply), the new-machine allowance, the allowed
ranges and the site token within a few seconds (the last two unless quorum serve --allow or
--site-token-file set them for its run); the other settings apply when the host next starts. The console's Settings page applies every change at once (the
port and addresses by restarting the listener).

Lists (allowed-ranges, listen-addresses) are separated by commas or spaces; "any" / "all" clear
them. site-token takes "rotate" (a new token; show it with quorum settings site-token) or "off".

Settings:
${NAMES}

Examples:
  quorum settings set activation-interval 60
  quorum settings set allowed-ranges "192.168.1.0/24, fd00::/8"
  quorum settings set site-token rotate`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      args,
      { 'data-dir': { type: 'string' }, json: { type: 'boolean' } },
      true,
    );
    const [name, ...rest] = positionals;
    if (!name || rest.length === 0) {
      throw new CliUsageError('Give a setting name and a value, e.g. quorum settings set activation-interval 60.');
    }
    // A list may arrive as several words when typed without quotes.
    const value = rest.join(' ');
    const dataDir = ensureDataDir(resolveDataDir(values['data-dir']));
    const store = openStore({ file: databasePath(dataDir) });
    try {
      const s = fromCommandLine(changeSetting({ store, dataDir }, name, value));
      if (values.json) printJson(io, { ok: true, ...s });
      else {
        const when =
          s.applies !== 'at-once'
            ? ' (applied when the host next starts)'
            : typeof s.value === 'number'
              ? ''
              : ' (a running host applies it within seconds, unless quorum serve --allow or --site-token-file set it)';
        io.out(`${name} is now ${valueText(s)}${when}.`);
      }
      return 0;
    } finally {
      store.close();
    }
  },
};
