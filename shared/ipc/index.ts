export * from './bridge.js';
export * from './contract.js';
export * from './views.js';
export * from './keys-channels.js';
export * from './settings-channels.js';
export * from './dns-channels.js';
