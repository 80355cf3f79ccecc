/**
 * The what-if panel's Web Worker: answers `{ id, input }` with `{ id, answer }`
 * ({@link whatIf}), so a large scenario never freezes the page. Bundled by
 * scripts/build-browser.mjs into dist/browser/whatif-worker.js, which the interactive report
 * inlines as text and starts from a blob: URL (it works from file://, offline).
 */
import { config } from "zod";
import { type WhatIfAnswer, whatIf } from "./engine.js";

// The page's CSP allows no eval. zod compiles object parsers with `new Function` unless told
// not to, and even its probe for that reports a CSP violation (zod/v4/core/util.js,
// `allowsEval`): jitless skips both.
config({ jitless: true });

/** What the page sends. */
export interface WhatIfRequest {
  readonly id: number;
  readonly input: unknown;
  readonly width?: number;
  readonly height?: number;
}

/** What the worker answers. */
export interface WhatIfReply {
  readonly id: number;
  readonly answer: WhatIfAnswer;
}

interface WorkerScope {
  onmessage: ((event: { data: WhatIfRequest }) => void) | null;
  postMessage(message: WhatIfReply): void;
}

const scope = globalThis as unknown as WorkerScope;
scope.onmessage = (event) => {
  const { id, input, width, height } = event.data;
  let answer: WhatIfAnswer;
  try {
    answer = whatIf(input, {
      ...(width === undefined ? {} : { width }),
      ...(height === undefined ? {} : { height }),
    });
  } catch (err) {
    // a bug, not bad input: say so rather than leave the panel waiting
    answer = { ok: false, message: `the simulator failed: ${String(err)}` };
  }
  scope.postMessage({ id, answer });
};
