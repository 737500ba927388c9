/**
 * The console's DNS channels (docs/operations.md, "DNS"): the publish list with the last result
 * per zone, publish now, withdraw, add a zone with its TSIG key, the publishing switch, the
 * hand-publishing snippets and the check from a client's view. Spread into INVOKE_CHANNELS.
 */
import { z } from 'zod';

/** Mirrors the ResultOf marker of contract.ts (kept here so this file does not import it back). */
interface DnsResultOf<T> {
  readonly __result?: T;
}
const result = <T>(): DnsResultOf<T> => ({});

const zoneText = z.string().trim().min(1, 'give the zone').max(253);
const serverText = z.string().trim().min(1, 'give the DNS server').max(300);

export const HAND_RECORD_FORMATS = ['bind', 'powershell', 'dnsmasq', 'unbound'] as const;
export type HandRecordFormat = (typeof HAND_RECORD_FORMATS)[number];

export const dnsAddZoneSchema = z
  .object({
    zone: zoneText,
    server: serverText,
    /** The key file's text, as tsig-keygen wrote it. */
    keyText: z.string().min(1, 'paste the TSIG key file').max(4096),
    priority: z.number().int().min(0).max(65535).optional(),
    weight: z.number().int().min(0).max(65535).optional(),
    ttl: z.number().int().min(30).max(86_400).optional(),
    target: z.string().trim().max(253).optional(),
    /** IP addresses, or "auto" (this machine's), or none. */
    addresses: z.union([z.literal('auto'), z.array(z.string().trim().max(64)).max(16)]).optional(),
  })
  .strict();

export interface DnsResultView {
  at: number;
  action: 'publish' | 'withdraw';
  ok: boolean;
  message: string;
  code?: string;
  hint?: string;
}

export interface DnsPublishedView {
  srvName: string;
  priority: number;
  weight: number;
  port: number;
  target: string;
  ttl: number;
  addresses: string[];
}

export interface DnsZoneView {
  zone: string;
  server: string;
  keyName: string;
  priority: number;
  weight: number;
  ttl: number;
  /** "" means this machine's name in the zone. */
  target: string;
  addresses: 'auto' | string[];
  published: DnsPublishedView | null;
  publishedAt: number | null;
  last: DnsResultView | null;
}

export interface DnsListView {
  publishing: boolean;
  /** Whether a host key is installed: without one nothing is published. */
  hostKeyInstalled: boolean;
  port: number;
  zones: DnsZoneView[];
}

export interface DnsCheckAddressView {
  address: string;
  outcome:
    | { kind: 'answers'; fingerprint: string; hostId: string; status: number; hostTime: number }
    | { kind: 'not-probe-capable'; message: string }
    | { kind: 'bad-answer' | 'no-answer'; code: string; message: string };
}

export interface DnsCheckRecordView {
  target: string;
  port: number;
  priority: number;
  weight: number;
  ttl: number | null;
  addresses: DnsCheckAddressView[];
  reachable: boolean;
  fingerprint: string | null;
  hostId: string | null;
  pinned: 'matches' | 'differs' | 'not pinned';
  thisHost: { priority: number; weight: number; port: number } | null;
  problems: string[];
}

export interface DnsCheckView {
  domain: string;
  queryName: string;
  server: string;
  records: DnsCheckRecordView[];
  vlmcs: { target: string; port: number }[];
  stale: number;
  problems: string[];
}

export const DNS_CHANNELS = {
  'dns:list': { input: z.object({}).strict(), result: result<DnsListView>() },
  'dns:add-zone': { input: dnsAddZoneSchema, result: result<DnsResultView | null>() },
  'dns:publish-now': { input: z.object({ zone: zoneText }).strict(), result: result<DnsResultView>() },
  'dns:withdraw': { input: z.object({ zone: zoneText }).strict(), result: result<DnsResultView>() },
  'dns:set-publishing': { input: z.object({ on: z.boolean() }).strict(), result: result<DnsResultView[]>() },
  'dns:records': {
    input: z.object({ zone: zoneText.optional(), format: z.enum(HAND_RECORD_FORMATS) }).strict(),
    result: result<{ zone: string; text: string }[]>(),
  },
  'dns:check': {
    input: z.object({ domain: zoneText, dnsServer: z.string().trim().max(300).optional() }).strict(),
    result: result<DnsCheckView>(),
  },
} as const;

export const DNS_BRIDGE_METHODS = {
  dnsList: 'dns:list',
  dnsAddZone: 'dns:add-zone',
  dnsPublishNow: 'dns:publish-now',
  dnsWithdraw: 'dns:withdraw',
  dnsSetPublishing: 'dns:set-publishing',
  dnsRecords: 'dns:records',
  dnsCheck: 'dns:check',
} as const;
