import http from 'node:http';
import type { Socket } from 'node:net';
import type { Express } from 'express';

/**
 * The HTTP server of an Express app, whose requests and responses are made with the app's own
 * prototypes (`app.request`, `app.response`) from the start.
 *
 * Express gives every request and response its prototypes with `Object.setPrototypeOf` when the
 * app takes them (express/lib/application.js, `app.handle`). In V8 (Node 20) an object whose
 * prototype is changed keeps what it reaches alive through the next young-generation collection:
 * about a sixth of all a request allocates then survived the collection and went to the old
 * generation as garbage for the full collections, and a young collection took 10–15 ms instead of
 * 0.2 ms: with the search index of 100k offers in memory a trivial request cost 536 µs of CPU
 * instead of 298 µs (docs/benchmarks.md, "Requests made with the app's prototypes"). Made with these
 * prototypes, Express's `setPrototypeOf` finds the prototype already set and changes nothing.
 */
export function createAppServer(app: Express): http.Server {
  // Node's IncomingMessage and ServerResponse are plain constructor functions (not classes): a
  // constructor that applies them to an object made from the app's prototype makes the same object.
  // The server passes the response its options (highWaterMark and the like), handed on here.
  function AppRequest(this: http.IncomingMessage, socket: Socket): void {
    Reflect.apply(http.IncomingMessage, this, [socket]);
  }
  AppRequest.prototype = app.request;
  function AppResponse(this: http.ServerResponse, request: http.IncomingMessage, responseOptions?: object): void {
    Reflect.apply(http.ServerResponse, this, [request, responseOptions]);
  }
  AppResponse.prototype = app.response;
  return http.createServer(
    { IncomingMessage: AppRequest as unknown as typeof http.IncomingMessage, ServerResponse: AppResponse as unknown as typeof http.ServerResponse },
    app,
  );
}
