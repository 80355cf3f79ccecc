import { describe, expect, it } from "vitest";
import { startKernel } from "../../src/notebooks/kernel.js";
import { liveKernelCount } from "../../src/notebooks/kernel-process.js";
import { cellOutputs, outputOf, parseThrown } from "../../src/notebooks/outputs.js";

describe("parseThrown", () => {
  it("drops Node's throw-site banner and frames of Node internals and tslab", () => {
    const printed = [
      "node:fs:573",
      "  return binding.open(",
      "                 ^",
      "",
      "Error: ENOENT: no such file or directory, open '/nonexist'",
      "    at Object.openSync (node:fs:573:18)",
      "    at evalmachine.<anonymous>:28:25",
      "    at sigintHandlersWrap (node:vm:280:12)",
      "    at Object.execute (/p/node_modules/tslab/dist/executor.js:160:38) {",
      "  errno: -2,",
      "  code: 'ENOENT'",
      "}",
      "",
    ].join("\n");
    expect(parseThrown(printed)).toEqual({
      output_type: "error",
      ename: "Error",
      evalue: "ENOENT: no such file or directory, open '/nonexist'",
      traceback: [
        "Error: ENOENT: no such file or directory, open '/nonexist'",
        "    at <cell>:28:25",
      ],
    });
  });

  it("keeps a thrown non-Error value as it was printed", () => {
    expect(parseThrown("{ code: 42 }\n")).toMatchObject({
      ename: "Thrown",
      evalue: "{ code: 42 }",
    });
  });
});

// message contents as the Jupyter messaging spec (v5.3) defines them; outputs as nbformat 4's
describe("outputOf", () => {
  it("maps stream, display_data, execute_result and error messages to nbformat outputs", () => {
    expect(outputOf("stream", { name: "stderr", text: "x\n" })).toEqual({
      output_type: "stream",
      name: "stderr",
      text: "x\n",
    });
    const data = { "text/plain": "1" };
    for (const kind of ["display_data", "execute_result"]) {
      expect(outputOf(kind, { data, metadata: {}, execution_count: 3 })).toEqual({
        output_type: "display_data",
        data,
        metadata: {},
      });
    }
    expect(outputOf("error", { ename: "E", evalue: "v", traceback: ["E: v"] })).toEqual({
      output_type: "error",
      ename: "E",
      evalue: "v",
      traceback: ["E: v"],
    });
  });

  it("is null for messages that are not outputs", () => {
    for (const kind of ["status", "execute_input", "clear_output", "comm_open"]) {
      expect(outputOf(kind, {})).toBeNull();
    }
  });
});

describe("cellOutputs", () => {
  const out = (text: string, name: "stdout" | "stderr" = "stdout") =>
    ({ output_type: "stream", name, text }) as const;

  it("an ok reply: streams merged", () => {
    expect(cellOutputs([out("a"), out("b")], { kind: "reply", status: "ok" })).toEqual({
      status: "ok",
      outputs: [out("ab")],
    });
  });

  it("an error reply: the last stderr write becomes the error output", () => {
    const r = cellOutputs([out("a"), out("Error: boom\n", "stderr")], {
      kind: "reply",
      status: "error",
    });
    expect(r.status).toBe("error");
    expect(r.outputs).toEqual([
      out("a"),
      { output_type: "error", ename: "Error", evalue: "boom", traceback: ["Error: boom"] },
    ]);
  });

  it("a kernel that died: its outputs, then KernelDied", () => {
    const r = cellOutputs([out("a")], { kind: "exit", how: "exited with code 3" });
    expect(r.status).toBe("error");
    expect(r.outputs.at(-1)).toMatchObject({
      ename: "KernelDied",
      evalue: "the tslab kernel died: it exited with code 3",
    });
  });

  it("a timed-out cell: the interrupt's own error replaced by CellTimeoutError", () => {
    const r = cellOutputs(
      [out("a"), out("Error: Script execution interrupted.\n", "stderr")],
      { kind: "reply", status: "error" },
      { timeoutMs: 1500, action: "interrupted" },
    );
    expect(r).toEqual({
      status: "timeout",
      outputs: [
        out("a"),
        {
          output_type: "error",
          ename: "CellTimeoutError",
          evalue: "cell did not finish within 1.5 s; the kernel was interrupted",
          traceback: [
            "CellTimeoutError: cell did not finish within 1.5 s; the kernel was interrupted",
          ],
        },
      ],
    });
  });
});

describe("Kernel", () => {
  // tslab sends without awaiting; zeromq.js defers every 513th synchronous send of a socket and
  // throws EBUSY at a send made before that deferred one went out, so plain tslab loses about
  // one iopub message in 512: here 700 of the 1 200 lines, and later the `idle` of some small
  // cells (which then end only at their time limit) with their value. esmlab's launcher
  // (tslab-kernel.cts) makes the sockets send synchronously; nothing may be lost.
  it("loses no message over more than zeromq's 512 synchronous sends", async () => {
    const kernel = await startKernel({ cwd: "test/fixtures/notebooks" });
    try {
      const many = await kernel.execute("for (let i = 0; i < 1200; i++) console.log(i);", 60_000);
      expect(many.status).toBe("ok");
      const lines = Array.from({ length: 1200 }, (_, i) => `${i}\n`).join("");
      expect(many.outputs).toEqual([{ output_type: "stream", name: "stdout", text: lines }]);
      // each small cell: busy, its value, idle — 600 messages in 200 cells, each its own tick
      for (let i = 0; i < 200; i++) {
        const small = await kernel.execute(`${i}`, 60_000);
        expect(small.outputs, `cell ${i}`).toEqual([
          { output_type: "stream", name: "stdout", text: `${i}\n` },
        ]);
      }
    } finally {
      await kernel.close();
    }
  });

  it("kills a kernel that does not answer an interrupt, and can run nothing more", async () => {
    const kernel = await startKernel({ cwd: "test/fixtures/notebooks" });
    try {
      // the shell ignores SIGINT, so the kernel stays blocked in execSync
      const res = await kernel.execute(
        'require("child_process").execSync("trap \'\' INT; sleep 20");',
        500,
      );
      expect(res).toMatchObject({ status: "timeout", timeoutAction: "killed" });
      expect(res.outputs).toEqual([
        {
          output_type: "error",
          ename: "CellTimeoutError",
          evalue: "cell did not finish within 0.5 s; the kernel was killed",
          traceback: ["CellTimeoutError: cell did not finish within 0.5 s; the kernel was killed"],
        },
      ]);
      await expect(kernel.execute("1", 500)).rejects.toThrow("tslab kernel killed by SIGKILL");
    } finally {
      await kernel.close();
    }
    expect(liveKernelCount()).toBe(0);
  });
});
