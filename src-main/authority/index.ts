export { Authority, type ActivationGrant, type ActivationMethod, type LedgerEntry } from './authority.js';
export { ACTIVATIONS_PER_HOST, HOSTS_PER_KEY } from './errors.js';
export { HostKeyRepository, type InstalledHostKey } from './host-key-repository.js';
export { openKeyDatabase } from './key-database.js';
export * from './key-operations.js';
export { upHostKeys } from './schema.js';
export { coveredProducts, servingState } from './serving-state.js';
export { startAuthorityServer, DEFAULT_AUTHORITY_PORT, type AuthorityServer } from './authority-server.js';
export { activateWithRemoteAuthority, isAuthorityUrl, pinnedAuthorities } from './remote-activation.js';
