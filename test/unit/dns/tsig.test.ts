/**
 * TSIG against a vector BIND 9 produced: our signature of a fixed UPDATE is byte for byte the one
 * named accepted, and named's signed answer verifies; any changed byte, key or time does not.
 */
import { describe, expect, it } from 'vitest';
import vector from '../../vectors/tsig-bind9.json' with { type: 'json' };
import { layoutOf } from '../../../src-main/dns/dns-wire.js';
import { parseTsig, signMessage, verifyAnswer, type TsigKey } from '../../../src-main/dns/tsig.js';
import { formatTsigKeyFile, parseTsigKeyFile } from '../../../src-main/dns/tsig-key-file.js';

const key: TsigKey = { name: vector.keyName, algorithm: 'hmac-sha256', secret: Buffer.from(vector.secret, 'base64') };
const request = Buffer.from(vector.request, 'hex');
const answer = Buffer.from(vector.answer, 'hex');
const requestMac = Buffer.from(vector.requestMac, 'hex');

describe('TSIG (RFC 8945, HMAC-SHA256)', () => {
  it('signs an UPDATE exactly as the request named accepted', () => {
    const unsigned = parseTsig(request)!.unsigned;
    const signed = signMessage(unsigned, key, vector.timeSigned);
    expect(signed.bytes.toString('hex')).toBe(vector.request);
    expect(signed.requestMac.toString('hex')).toBe(vector.requestMac);
  });

  it("verifies named's signed answer", () => {
    expect(layoutOf(answer).rcode).toBe(0);
    const check = verifyAnswer(answer, key, requestMac, vector.timeSigned + 10);
    expect(check.ok).toBe(true);
  });

  it('rejects an answer with one byte changed, another request MAC, another secret or a time out of fudge', () => {
    const flipped = Buffer.from(answer);
    flipped[3]! ^= 0x01;
    expect(verifyAnswer(flipped, key, requestMac, vector.timeSigned)).toMatchObject({ ok: false, why: 'bad-mac' });
    expect(verifyAnswer(answer, key, Buffer.alloc(32), vector.timeSigned)).toMatchObject({ ok: false, why: 'bad-mac' });
    const other = { ...key, secret: Buffer.alloc(32, 1) };
    expect(verifyAnswer(answer, other, requestMac, vector.timeSigned)).toMatchObject({ ok: false, why: 'bad-mac' });
    expect(verifyAnswer(answer, key, requestMac, vector.timeSigned + 301)).toMatchObject({
      ok: false,
      why: 'bad-time',
    });
    expect(verifyAnswer(answer, { ...key, name: 'other' }, requestMac, vector.timeSigned)).toMatchObject({
      ok: false,
      why: 'other-key',
    });
  });

  it('reports an answer without TSIG as unsigned', () => {
    const unsigned = parseTsig(answer)!.unsigned;
    expect(verifyAnswer(unsigned, key, requestMac, vector.timeSigned)).toMatchObject({ ok: false, why: 'unsigned' });
  });
});

describe('TSIG key files (tsig-keygen format)', () => {
  const text = `key "quorum-key" {\n\talgorithm hmac-sha256;\n\tsecret "${vector.secret}";\n};\n`;

  it('reads what tsig-keygen writes, comments included, and writes it back', () => {
    const parsed = parseTsigKeyFile(`# made by tsig-keygen\n// for office.test\n${text}`, 'k.key');
    expect(parsed).toEqual(key);
    expect(formatTsigKeyFile(parsed)).toBe(text);
  });

  it.each([
    ['', 'it is empty'],
    ['-----BEGIN PRIVATE KEY-----\nMC4CAQ\n-----END PRIVATE KEY-----', 'no `key "NAME"'],
    [text + text.replace('quorum-key', 'second'), 'holds 2 keys (quorum-key, second)'],
    [text.replace('hmac-sha256', 'hmac-md5'), 'uses hmac-md5'],
    [text.replace(/\tsecret[^\n]*\n/, ''), "has no 'secret"],
    [text.replace(/\talgorithm[^\n]*\n/, ''), 'has no "algorithm'],
    [text.replace(vector.secret, 'not base64!'), 'is not base64'],
    [text.replace(vector.secret, 'AAAA'), 'only 3 bytes'],
  ])('names what is wrong: %#', (bad, why) => {
    expect(() => parseTsigKeyFile(bad, 'k.key')).toThrow(expect.objectContaining({ code: 'DNS_KEY_INVALID' }));
    expect(() => parseTsigKeyFile(bad, 'k.key')).toThrow(why);
  });
});
