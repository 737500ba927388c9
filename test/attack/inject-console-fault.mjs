// Preloaded into a `quorum serve` child (node --import) by console-faults.test.ts: makes the
// console's own handlers throw on request, as a bug in them would, without changing the product.
// - An HTTP request for /__fault throws from the request handler (setting its first header).
// - A WebSocket invoke with id 4242 throws while its reply is serialised (in the message handler).
// - An HTTP request for /__uncaught throws from a timer no listener guards, and rejects a promise
//   nobody awaits: what only the process-level policy of `quorum serve` catches.
import { ServerResponse } from 'node:http';

const setHeader = ServerResponse.prototype.setHeader;
ServerResponse.prototype.setHeader = function (name, value) {
  if (this.req?.url === '/__fault') throw new Error('injected fault in the console HTTP handler');
  if (this.req?.url === '/__uncaught' && name === 'Content-Security-Policy') {
    setTimeout(() => {
      throw new Error('injected uncaught exception');
    }, 0);
    void Promise.reject(new Error('injected unhandled rejection'));
  }
  return setHeader.call(this, name, value);
};

const stringify = JSON.stringify;
JSON.stringify = function (value, ...rest) {
  if (value && typeof value === 'object' && value.type === 'result' && value.id === 4242) {
    throw new Error('injected fault in the console WebSocket handler');
  }
  return stringify.call(this, value, ...rest);
};
