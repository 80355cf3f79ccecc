import { describe, expect, it } from "vitest";
import { startKernel } from "../../src/notebooks/kernel.js";
import { liveKernelCount } from "../../src/notebooks/kernel-process.js";
import { parseThrown } from "../../src/notebooks/outputs.js";

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

describe("Kernel", () => {
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
