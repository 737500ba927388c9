export * from './bridge.js';
export * from './contract.js';
export * from './views.js';
export * from './dns-channels.js';
