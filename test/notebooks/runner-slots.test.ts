/**
 * `runNotebooks`' `onSlotFree`: when a core is first left free of notebooks. The report starts
 * Chromium there, so it must come once every notebook has started and not before (it would
 * take a core from a notebook still waiting), and at once when there are fewer notebooks than
 * slots, with the results so far (the report starts no Chromium after a failure). On real
 * tslab kernels, with notebooks of one cell.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runNotebooks } from "../../src/notebooks/runner.js";
import { tempDir, writeCodeNotebook } from "../helpers.js";

const dir = tempDir("esmlab-slots-");

/** The order of results and the slot-free call for `n` notebooks on `slots` slots. */
async function events(n: number, slots: number): Promise<string[]> {
  const seen: string[] = [];
  const paths = Array.from({ length: n }, (_, i) =>
    writeCodeNotebook(dir, `n${n}-${slots}-${i}`, ["1"]),
  );
  await runNotebooks(paths, {
    outDir: join(dir, `out-${n}-${slots}`),
    concurrency: slots,
    onResult: () => seen.push("result"),
    onSlotFree: (finished) => seen.push(`free after ${finished.length}`),
  });
  return seen;
}

describe("runNotebooks' onSlotFree", () => {
  it("comes once, when a slot ends with no notebook left to start", async () => {
    // 3 on 2 slots: the first slot to finish takes the third notebook; the next one is free
    expect(await events(3, 2)).toEqual(["result", "result", "free after 2", "result"]);
  });

  it("comes at once when there are fewer notebooks than slots", async () => {
    expect(await events(1, 2)).toEqual(["free after 0", "result"]);
  });

  it("comes when the last notebook of a single slot ends", async () => {
    expect(await events(2, 1)).toEqual(["result", "result", "free after 2"]);
  });
});
