/** The Quorum client library's public API (docs/client.md). */
export { createClient } from './client.js';
export type { ClientOptions, QuorumClient, ActivationOutcome } from './client.js';
export type { ClientEvent } from './events.js';
export type { ClientStatus, LicenseStatus } from './status.js';
export { describeState } from './status.js';
export type { ActivationTransport } from './transport.js';
export { rpcTransport } from './rpc-transport.js';
export {
  readClientState,
  writeClientState,
  fileStateStore,
  memoryStateStore,
  type ClientState,
  type ClientStateStore,
} from './state-file.js';
export { licenseStateAt, remainingMinutesAt, type LicenseRecord } from './license-machine.js';
export { detectVm, type VmDetection } from './vm-detect.js';
export { systemScheduler } from './system-scheduler.js';
export { parseHostAddress, formatHostAddress, type HostAddress } from '../dns/host-address.js';
export { orderSrvTargets, seededRandom, type SrvTarget, type RandomSource } from '../dns/srv-select.js';
export { DEFAULT_SERVICE_NAME } from '../dns/srv-lookup.js';
