/**
 * Starts tslab's kernel with its zeromq sockets sending synchronously. Run as
 *
 * ```
 * node tslab-kernel.cjs <tslab bin> kernel --config-path <connection file>
 * ```
 *
 * by esmlab's runner and by the kernelspec Jupyter uses (kernelspec.ts).
 *
 * Why: tslab sends without awaiting (`sock.send(...)`), often twice in one tick (a status
 * `busy`/`idle` around a reply, a cell's consecutive prints). zeromq.js (6.x, src/socket.cc)
 * resolves at most 512 operations of a socket synchronously; the next send is deferred to the
 * following event-loop turn, and a send made before that turn throws EBUSY ("Socket is busy
 * writing; only one send operation may be in progress at any time", zeromq/zeromq.js#427).
 * tslab's publisher never polls, so its count only grows: about every 512th iopub message
 * the one after it is lost — a cell's output, or its `idle`, without which a client waits for
 * the cell until its time limit. A socket whose `sendTimeout` is 0 always takes the
 * synchronous path. For tslab's sockets that changes nothing else: a PUB or ROUTER send never
 * blocks (they drop what they cannot deliver), and a REP (heartbeat) answers one request at a
 * time.
 */
import nodeModule = require("node:module");

type SocketClass = new (options?: Record<string, unknown>) => object;

const tslab = process.argv[2];
if (tslab === undefined) {
  process.stderr.write("usage: node tslab-kernel.cjs <tslab bin> kernel --config-path <file>\n");
  process.exit(2);
}
// the zeromq tslab itself resolves, so that the classes patched are the ones it constructs
const zmq = nodeModule.createRequire(tslab)("zeromq") as Record<string, SocketClass>;
for (const name of ["Publisher", "Router", "Reply"]) {
  const Base = zmq[name]!;
  zmq[name] = class extends Base {
    constructor(options?: Record<string, unknown>) {
      super({ ...options, sendTimeout: 0 });
    }
  };
}
// as if run as `node <tslab bin> kernel …`: tslab's command line reads argv[2] on
process.argv = [process.argv[0]!, ...process.argv.slice(2)];
require(tslab);
