'use strict';
// What the bridge uses of undici, for the bundle: Pool and Agent with the request API, which
// undici's index adds to every dispatcher. The index also loads fetch, WebSocket, the mocks,
// the caches and more, which cost a production start about 1 MB of code to compile.
// These paths are undici's own files, not its public entry: a new undici version may move
// them, and the build then fails to resolve them.
const Dispatcher = require('undici/lib/dispatcher/dispatcher');
const api = require('undici/lib/api');

Object.assign(Dispatcher.prototype, api);

module.exports = {
  Agent: require('undici/lib/dispatcher/agent'),
  Pool: require('undici/lib/dispatcher/pool'),
};
