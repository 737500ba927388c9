// Preloaded into a `quorum serve` child (node --import) by console-faults.test.ts: makes the
// console's own handlers throw on request, as a bug in them would, without changing the product.
// - An HTTP request for /__fault throws from the request handler (setting its first header).
// - A WebSocket invoke with id 4242 throws while its reply is serialised (in the message handler).
import { ServerResponse } from 'node:http';

const setHeader = ServerResponse.prototype.setHeader;
ServerResponse.prototype.setHeader = function (name, value) {
  if (this.req?.url === '/__fault') throw new Error('injected fault in the console HTTP handler');
  return setHeader.call(this, name, value);
};

const stringify = JSON.stringify;
JSON.stringify = function (value, ...rest) {
  if (value && typeof value === 'object' && value.type === 'result' && value.id === 4242) {
    throw new Error('injected fault in the console WebSocket handler');
  }
  return stringify.call(this, value, ...rest);
};
