/**
 * The what-if panel's worker bundle (dist/browser/whatif-worker.js) run as a browser runs it,
 * in a fresh V8 context holding only the web globals a worker scope has: for the benchmark and
 * for the test that holds the bundle to the Node engine.
 */
import { readFileSync } from "node:fs";
import vm from "node:vm";
import type { WhatIfAnswer } from "../src/whatif/engine.js";
import type { WhatIfReply } from "../src/whatif/worker.js";

/**
 * Loads the bundle; the function returned sends it one request and gives its answer.
 * @example bundledWorker()(BUILTIN_SCENARIOS.case2).ok // → true
 */
export function bundledWorker(
  file = "dist/browser/whatif-worker.js",
): (input: unknown) => WhatIfAnswer {
  const replies: WhatIfReply[] = [];
  const scope: Record<string, unknown> = {
    postMessage: (m: WhatIfReply) => replies.push(m),
    performance,
    structuredClone,
    TextEncoder,
    TextDecoder,
    Intl,
  };
  scope.globalThis = scope;
  vm.createContext(scope);
  vm.runInContext(readFileSync(file, "utf8"), scope);
  let id = 0;
  return (input) => {
    (scope.onmessage as (e: { data: { id: number; input: unknown } }) => void)({
      data: { id: ++id, input },
    });
    const reply = replies.find((r) => r.id === id);
    if (reply === undefined) throw new Error("the worker bundle did not answer");
    return reply.answer;
  };
}
