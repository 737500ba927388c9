export * from './clock.js';
export * from './license-state.js';
export * from './products.js';
export * from './timings.js';
export * from './errors.js';
export * from './records.js';
export * from './client-filters.js';
