/** The `quorum dns ...` commands, in the order `quorum --help` lists them. */
import type { Command } from '../cli-kit.js';
import { dnsCheck } from './dns-check.js';
import { dnsList } from './dns-list.js';
import { dnsPublish } from './dns-publish.js';
import { dnsRecords } from './dns-records.js';
import { dnsOff, dnsOn } from './dns-switch.js';
import { dnsWithdraw } from './dns-withdraw.js';

export const dnsCommands: Command[] = [dnsPublish, dnsWithdraw, dnsList, dnsOff, dnsOn, dnsRecords, dnsCheck];
