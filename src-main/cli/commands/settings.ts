import { HOST_SETTINGS, readHostSettings, writeHostSetting } from '../../host/host-settings.js';
import { databasePath, openStore } from '../../store/open-store.js';
import { CliUsageError, parseCommandArgs, printJson, type Command } from '../cli-kit.js';
import { ensureDataDir, resolveDataDir } from '../data-dir.js';

const NAMES = HOST_SETTINGS.map((s) => `  ${s.name.padEnd(22)} ${s.unit.padEnd(8)} ${s.summary}`).join('\n');

export const settingsList: Command = {
  path: ['settings'],
  summary: 'show the host settings (intervals, request log retention)',
  help: `Usage: quorum settings [--data-dir DIR] [--json]

Shows each host setting with its value, its unit and whether it is the default.
Change one with: quorum settings set NAME VALUE

Settings:
${NAMES}`,
  async run(args, io) {
    const { values } = parseCommandArgs(args, { 'data-dir': { type: 'string' }, json: { type: 'boolean' } });
    const store = openStore({ file: databasePath(resolveDataDir(values['data-dir'])), readonly: true });
    try {
      const settings = readHostSettings(store);
      if (values.json) printJson(io, settings);
      else {
        for (const s of settings) {
          // A bad interval stops the host at start; a bad retention setting is skipped with a warning.
          const fix = `quorum settings set ${s.name} VALUE replaces it`;
          const note =
            s.ignored !== undefined
              ? s.live
                ? `(the stored value "${s.ignored}" is not valid: the host does not start until ${fix})`
                : `(default: the stored value "${s.ignored}" is not valid and is not used; ${fix})`
              : s.isDefault
                ? '(default)'
                : '';
          io.out(`${s.name.padEnd(22)} ${`${s.value} ${s.unit}`.padEnd(18)} ${note}`.trimEnd());
        }
      }
      return 0;
    } finally {
      store.close();
    }
  },
};

export const settingsSet: Command = {
  path: ['settings', 'set'],
  summary: 'change a host setting (like slmgr /sai and /sri)',
  help: `Usage: quorum settings set NAME VALUE [--data-dir DIR] [--json]

Checks and stores a host setting; VALUE "default" restores the default. A running host applies
the intervals within a few seconds (clients learn them with their next reply); retention settings
apply when the host next starts.

Settings:
${NAMES}

Example:
  quorum settings set activation-interval 60`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      args,
      { 'data-dir': { type: 'string' }, json: { type: 'boolean' } },
      true,
    );
    const [name, value] = positionals;
    if (!name || value === undefined || positionals.length > 2) {
      throw new CliUsageError('Give a setting name and a value, e.g. quorum settings set activation-interval 60.');
    }
    const dataDir = ensureDataDir(resolveDataDir(values['data-dir']));
    const store = openStore({ file: databasePath(dataDir) });
    try {
      const stored = writeHostSetting(store, name, value);
      const spec = HOST_SETTINGS.find((s) => s.name === name)!;
      if (values.json) printJson(io, { ok: true, name, value: stored, unit: spec.unit });
      else io.out(`${name} is now ${stored} ${spec.unit}${spec.live ? '' : ' (applied when the host next starts)'}.`);
      return 0;
    } finally {
      store.close();
    }
  },
};
