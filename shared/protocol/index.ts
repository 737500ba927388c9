export * from './qap-types.js';
export * from './qap-codec.js';
export * from './dcerpc.js';
export * from './fragment-buffer.js';
export * from './bytes.js';
