/**
 * Sends one RFC 2136 UPDATE to a DNS server over UDP, signed with TSIG when a key is given, and
 * turns the server's answer into success or a QuorumError that says what to change: the rcode
 * alone is not enough (NOTAUTH means "wrong key" with a TSIG error and "wrong zone" without one).
 */
import { createSocket } from 'node:dgram';
import { randomInt } from 'node:crypto';
import { isIP } from 'node:net';
import { QuorumError } from '../../shared/domain/errors.js';
import { encodeUpdate, layoutOf, rcodeName, WireFormatError, type WireRecord } from './dns-wire.js';
import { formatHostAddress, type HostAddress } from './host-address.js';
import { signMessage, verifyAnswer, type TsigKey } from './tsig.js';

export interface UpdateRequest {
  server: HostAddress;
  zone: string;
  prerequisites: WireRecord[];
  updates: WireRecord[];
  /** Null sends the update unsigned (only tests do: every server worth the name refuses it). */
  key: TsigKey | null;
  timeoutMs?: number;
  /** Seconds since the epoch, for TSIG; the system clock by default. */
  nowS?: () => number;
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

function exchange(server: HostAddress, message: Buffer, timeoutMs: number, tries: number): Promise<Buffer> {
  const id = message.readUInt16BE(0);
  return new Promise((resolve, reject) => {
    const socket = createSocket(isIP(server.host) === 6 ? 'udp6' : 'udp4');
    let left = tries;
    let timer: NodeJS.Timeout | undefined;
    const finish = (e: Error | null, answer?: Buffer) => {
      clearTimeout(timer);
      socket.close();
      if (e) reject(e);
      else resolve(answer!);
    };
    const send = () => {
      left--;
      socket.send(message, server.port, server.host, (e) => e && finish(e));
      timer = setTimeout(
        () => (left > 0 ? send() : finish(Object.assign(new Error('timeout'), { code: 'ETIMEOUT' }))),
        timeoutMs,
      );
    };
    socket.on('message', (answer) => {
      // Anything that is not the answer to this message (a late answer to an earlier one) is ignored.
      if (answer.length >= 12 && answer.readUInt16BE(0) === id && (answer[2]! & 0x80) !== 0) finish(null, answer);
    });
    socket.on('error', (e) => finish(e));
    send();
  });
}

function updateError(code: string, message: string, hint: string): QuorumError {
  return new QuorumError(code, message, hint);
}

/** Sends the update; resolves when the server applied it (NOERROR, answer signed by the same key). */
export async function sendUpdate(req: UpdateRequest): Promise<void> {
  const where = formatHostAddress(req.server);
  const zone = req.zone.replace(/\.$/, '');
  const unsigned = encodeUpdate({
    id: randomInt(0, 0x10000),
    zone,
    prerequisites: req.prerequisites,
    updates: req.updates,
  });
  const now = req.nowS ?? nowSeconds;
  const signed = req.key ? signMessage(unsigned, req.key, now()) : null;
  let answer: Buffer;
  try {
    answer = await exchange(req.server, signed?.bytes ?? unsigned, req.timeoutMs ?? 2000, 2);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    throw updateError(
      'DNS_UPDATE_TIMEOUT',
      code === 'ETIMEOUT'
        ? `No answer from the DNS server ${where} to the update of ${zone}.`
        : `Could not send the update of ${zone} to ${where}: ${(e as Error).message}.`,
      `Check the server address and port (--server ADDR[:PORT]), that named runs there, and that no firewall blocks DNS (UDP ${req.server.port}) between this host and it.`,
    );
  }
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
  const check = req.key && signed ? verifyAnswer(answer, req.key, signed.requestMac, now()) : null;
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
