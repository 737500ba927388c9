/**
 * Sends one RFC 2136 UPDATE to a DNS server, signed with TSIG when a key is given, and turns the
 * server's answer into success or a QuorumError that says what to change: the rcode alone is not
 * enough (NOTAUTH means "wrong key" with a TSIG error and "wrong zone" without one). The message
 * goes over UDP, again once, then over TCP (update-transport.ts); an update that may have reached
 * the server twice is made safe to repeat by its `applied` prerequisites.
 */
import { randomInt } from 'node:crypto';
import { QuorumError } from '../../shared/domain/errors.js';
import { encodeUpdate, layoutOf, rcodeName, WireFormatError, type WireRecord } from './dns-wire.js';
import { formatHostAddress, type HostAddress } from './host-address.js';
import { signMessage, verifyAnswer, type TsigKey } from './tsig.js';
import { exchange, ExchangeError, type Exchanged } from './update-transport.js';

export interface UpdateRequest {
  server: HostAddress;
  zone: string;
  prerequisites: WireRecord[];
  updates: WireRecord[];
  /**
   * Prerequisites that hold once this update has been applied. When the message may have reached
   * the server twice and the answer is a failed prerequisite (the first copy changed what the
   * second one checks), the update is sent again with these: success means it was applied, not a
   * conflict. Without them such an answer is reported as the conflict it says.
   */
  applied?: WireRecord[];
  /** Null sends the update unsigned (only tests do: every server worth the name refuses it). */
  key: TsigKey | null;
  /** How long to wait for an answer, per try (two over UDP, one over TCP); 2000 by default. */
  timeoutMs?: number;
  /** Seconds since the epoch, for TSIG; the system clock by default. */
  nowS?: () => number;
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** YXRRSET and NXRRSET: the answers to a prerequisite that does not hold (RFC 2136 section 3.2.5). */
const PREREQUISITE_FAILED = new Set([7, 8]);

interface Attempt extends Exchanged {
  requestMac: Buffer | null;
}

/** Encodes, signs and exchanges the update with `prerequisites`; the answer is not judged yet. */
async function attempt(req: UpdateRequest, prerequisites: WireRecord[], now: () => number): Promise<Attempt> {
  const where = formatHostAddress(req.server);
  const zone = req.zone.replace(/\.$/, '');
  const unsigned = encodeUpdate({ id: randomInt(0, 0x10000), zone, prerequisites, updates: req.updates });
  const signed = req.key ? signMessage(unsigned, req.key, now()) : null;
  try {
    const exchanged = await exchange(req.server, signed?.bytes ?? unsigned, req.timeoutMs ?? 2000);
    return { ...exchanged, requestMac: signed?.requestMac ?? null };
  } catch (e) {
    const timedOut = e instanceof ExchangeError && e.code === 'timeout';
    throw updateError(
      'DNS_UPDATE_TIMEOUT',
      timedOut
        ? `No answer from the DNS server ${where} to the update of ${zone} (${e.message}).`
        : `Could not send the update of ${zone} to ${where}: ${(e as Error).message}.`,
      `Check the server address and port (--server ADDR[:PORT]), that named runs there, and that no firewall blocks DNS (UDP and TCP ${req.server.port}) between this host and it.`,
    );
  }
}

function updateError(code: string, message: string, hint: string): QuorumError {
  return new QuorumError(code, message, hint);
}

function rcodeOf(answer: Buffer): number | null {
  try {
    return layoutOf(answer).rcode;
  } catch {
    return null;
  }
}

/** Sends the update; resolves when the server applied it (NOERROR, answer signed by the same key). */
export async function sendUpdate(req: UpdateRequest): Promise<void> {
  const now = req.nowS ?? nowSeconds;
  const first = await attempt(req, req.prerequisites, now);
  const rcode = rcodeOf(first.answer);
  if (first.repeated && rcode !== null && PREREQUISITE_FAILED.has(rcode) && req.applied && req.applied.length > 0) {
    // Every change of an update is idempotent (adding a record that is there, deleting one that is
    // not, change nothing); only its prerequisites are not. Sent with those of the state it makes,
    // it succeeds exactly when an earlier copy was applied, and then changes nothing.
    const confirm = await attempt(req, req.applied, now);
    if (rcodeOf(confirm.answer) === 0) return judge(req, confirm, now);
  }
  judge(req, first, now);
}

/** Resolves (returns) when the answer says applied and is signed by the key; throws what it says otherwise. */
function judge(req: UpdateRequest, sent: Attempt, now: () => number): void {
  const where = formatHostAddress(req.server);
  const zone = req.zone.replace(/\.$/, '');
  const answer = sent.answer;
  let rcode: number;
  try {
    rcode = layoutOf(answer).rcode;
  } catch (e) {
    throw updateError(
      'DNS_ANSWER_MALFORMED',
      `The answer of ${where} to the update of ${zone} is malformed: ${e instanceof WireFormatError ? e.message : String(e)}.`,
      'Check that --server names a DNS server, not another service.',
    );
  }
  const keyName = req.key?.name ?? '';
  const check = req.key && sent.requestMac ? verifyAnswer(answer, req.key, sent.requestMac, now()) : null;
  const tsigError = check?.tsig?.error ?? 0;
  if (tsigError === 16 || tsigError === 17 || tsigError === 18) {
    const name = rcodeName(tsigError);
    throw updateError(
      `DNS_UPDATE_${name}`,
      tsigError === 17
        ? `${where} does not know the TSIG key "${keyName}" (NOTAUTH/BADKEY): the update of ${zone} was not applied.`
        : tsigError === 18
          ? `${where} refused the update of ${zone} because this machine's clock differs from its clock by more than 5 minutes (NOTAUTH/BADTIME).`
          : `${where} could not verify the signature of the update of ${zone} (NOTAUTH/BADSIG): the key's secret is not the one the server has.`,
      tsigError === 18
        ? 'Set both clocks right (NTP), then publish again.'
        : `Use the key file the server's named.conf includes (same name "${keyName}", same secret), or check the clocks if the key is right.`,
    );
  }
  if (rcode === 0 && check && !check.ok) {
    throw updateError(
      'DNS_ANSWER_UNSIGNED',
      `${where} said the update of ${zone} was applied, but its answer ${check.why === 'unsigned' ? 'was not signed' : check.why === 'bad-time' ? 'was signed at a time more than the allowed skew away from this clock' : 'does not carry a valid signature with the key'}: it cannot be trusted.`,
      'Check that the address is the real DNS server (not a middlebox answering for it); read the zone back with dig to see what it holds.',
    );
  }
  if (rcode === 0) return;
  const name = rcodeName(rcode);
  switch (name) {
    case 'REFUSED':
      throw updateError(
        'DNS_UPDATE_REFUSED',
        req.key
          ? `${where} refused the update of ${zone} (REFUSED): the zone does not allow updates from key "${keyName}".`
          : `${where} refused the unsigned update of ${zone} (REFUSED).`,
        `Allow the key in the zone's named.conf entry: update-policy { grant ${keyName || 'KEY-NAME'} name _quorum._tcp.${zone}. SRV; }; and, to publish addresses, grant ${keyName || 'KEY-NAME'} subdomain ${zone}. A AAAA; (docs/operations.md, "DNS").`,
      );
    case 'NOTAUTH':
      throw updateError(
        'DNS_UPDATE_NOTAUTH',
        `${where} is not authoritative for ${zone} (NOTAUTH): it does not serve that zone as its primary.`,
        "Check --zone (the zone as named.conf spells it) and that --server is the zone's primary server.",
      );
    case 'NXDOMAIN':
    case 'NOTZONE':
      throw updateError(
        'DNS_UPDATE_WRONG_ZONE',
        `${where} answered ${name}: ${zone} is not a zone it serves, or the records do not belong to it.`,
        'Check --zone: it must be the zone itself (e.g. office.example), not a name inside it.',
      );
    case 'YXRRSET':
    case 'NXRRSET':
      throw updateError(
        'DNS_UPDATE_CONFLICT',
        `The update of ${zone} was not applied (${name}): the target name's address records are not the ones this host published, so another machine may use that name.`,
        `Look with: dig @${req.server.host} -p ${req.server.port} NAME A; choose another --target, or remove those records by hand if they are stale.`,
      );
    default:
      throw updateError(
        'DNS_UPDATE_FAILED',
        `${where} did not apply the update of ${zone} (${name}).`,
        "Read the DNS server's log for the reason.",
      );
  }
}
