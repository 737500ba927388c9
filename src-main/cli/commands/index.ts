/** Every `quorum` command, in the order `quorum --help` lists them. Each lives in its own file. */
import type { Command } from '../cli-kit.js';
import { serve } from './serve.js';
import { status } from './status.js';
import { clients } from './clients.js';
import { log } from './log.js';
import { keyInstall } from './key-install.js';
import { keyActivate } from './key-activate.js';
import { keyInfoCommand } from './key-info.js';
import { keyUninstall } from './key-uninstall.js';
import { authorityIssue } from './authority-issue.js';
import { authorityConfirm } from './authority-confirm.js';
import { authorityLedger } from './authority-ledger.js';
import { clientActivate } from './client-activate.js';
import { clientStatus } from './client-status.js';
import { clientRun } from './client-run.js';
import { settingsList, settingsSet } from './settings.js';
import { dnsCommands } from './dns-commands.js';

export const COMMANDS: Command[] = [serve];
COMMANDS.push(keyInstall, keyActivate, keyInfoCommand, keyUninstall, authorityIssue, authorityConfirm, authorityLedger);
COMMANDS.push(status, settingsList, settingsSet);
COMMANDS.push(clients, log);
COMMANDS.push(clientActivate, clientStatus, clientRun);
COMMANDS.push(...dnsCommands);
