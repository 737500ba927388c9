/**
 * The requests the load clients send, as a file both clients read: [u16 LE length][PDU] records,
 * the bind PDU first, then one activation request PDU per client of a population. A population's
 * name gives the same CMIDs every time, so a warm-up can activate them and what is measured after
 * it is renewals (a real site's steady state); new clients come from random CMIDs the client
 * writes into these templates (bench/load-client.c, bench/load-worker.ts).
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { BUILTIN_PRODUCTS } from '../shared/domain/products.js';
import { LicenseState } from '../shared/domain/license-state.js';
import { BIND, requestTemplates } from './qap-load-client.js';

/** A stable CMID for client `i` of a named population. */
function populationCmid(population: string, i: number): string {
  const h = createHash('sha256').update(`${population}/${i}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function writeTemplates(file: string, population: string, clients: number): void {
  const product = BUILTIN_PRODUCTS.find((p) => p.name === 'desktop')!;
  const pdus = requestTemplates(
    Array.from({ length: clients }, (_, i) => ({
      version: 1,
      cmid: populationCmid(population, i),
      previousCmid: null,
      machineName: `bench-${i}`,
      applicationId: product.applicationId,
      productId: product.id,
      productGroupId: product.groupId,
      licenseState: LicenseState.Licensed,
      remainingMinutes: 259_200,
      isVm: false,
      clientTime: Date.now(),
      nonce: new Uint8Array(16),
      siteTokenMac: null,
    })),
  );
  const records = [BIND, ...pdus].flatMap((pdu) => {
    const length = Buffer.alloc(2);
    length.writeUInt16LE(pdu.length);
    return [length, pdu];
  });
  writeFileSync(file, Buffer.concat(records));
}

/** The bind PDU and the request templates of a file written by `writeTemplates`. */
export function readTemplates(file: string): { bind: Buffer; requests: Buffer[] } {
  const all = readFileSync(file);
  const records: Buffer[] = [];
  for (let at = 0; at + 2 <= all.length; ) {
    const length = all.readUInt16LE(at);
    records.push(all.subarray(at + 2, at + 2 + length));
    at += 2 + length;
  }
  const [bind, ...requests] = records;
  if (!bind || requests.length === 0) throw new Error(`${file} holds no bind and request templates`);
  return { bind, requests };
}
