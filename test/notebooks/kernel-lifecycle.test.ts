/**
 * A kernel's life and death as the runner sees it: a kernel that cannot start, a cell that
 * ends the kernel with process.exit(), and a command stopped by Ctrl-C — each reported at once,
 * with nothing left behind (no process, no socket keeping node alive, no connection file
 * holding the kernel's key).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Command } from "commander";
import { afterAll, describe, expect, it, vi } from "vitest";
import { registerNotebooks } from "../../src/cli/commands/notebooks.js";
import { startKernel } from "../../src/notebooks/kernel.js";
import { liveKernelCount } from "../../src/notebooks/kernel-process.js";
import { type CodeCell, parseNotebook } from "../../src/notebooks/nbformat.js";
import { runNotebooks } from "../../src/notebooks/runner.js";
import { EsmlabError } from "../../src/util/errors.js";
import { tempDir, writeCodeNotebook } from "../helpers.js";

const dir = tempDir("esmlab-kernel-life-");

/** A notebook of code cells in this test's folder (or `folder`). */
function notebook(name: string, cells: string[], folder = dir): string {
  return writeCodeNotebook(folder, name, cells);
}

/** A fresh folder to serve as a child's TMPDIR, where its kernel folders are made. */
function childTmp(name: string): string {
  const tmp = join(dir, `tmp-${name}`);
  mkdirSync(tmp);
  return tmp;
}

/** esmlab-kernel-* folders left in a TMPDIR. */
function kernelFolders(tmp: string): string[] {
  return readdirSync(tmp).filter((n) => n.startsWith("esmlab-kernel-"));
}

/** Resolves when the child exits, with its exit code, signal, output and time taken. */
function finished(
  child: ChildProcess,
): Promise<{ code: number | null; signal: string | null; out: string; err: string; sec: number }> {
  const t0 = performance.now();
  let out = "";
  let err = "";
  child.stdout?.on("data", (b: Buffer) => {
    out += b.toString("utf8");
  });
  child.stderr?.on("data", (b: Buffer) => {
    err += b.toString("utf8");
  });
  return new Promise((done) =>
    child.once("exit", (code, signal) =>
      done({ code, signal, out, err, sec: (performance.now() - t0) / 1000 }),
    ),
  );
}

/** Runs `esmlab notebooks …` in-process; resolves to the error, or null on success. */
async function esmlabNotebooks(...args: string[]): Promise<Error | null> {
  const program = new Command().exitOverride();
  registerNotebooks(program);
  for (const cmd of program.commands) cmd.exitOverride();
  const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
  try {
    await program.parseAsync(["notebooks", ...args], { from: "user" });
    return null;
  } catch (err) {
    return err as Error;
  } finally {
    write.mockRestore();
  }
}

/** True when the process is gone (or a zombie nobody reaps: dead all the same). */
function dead(pid: number): boolean {
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true;
  }
}

async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

// tslab's own loader, pointed at a tslab that is not there: what a missing install looks like
const MISSING_TSLAB = [process.execPath, "-e", "require('/nonexistent/tslab/dist/main.js').main()"];

describe("a kernel that cannot start", () => {
  it("fails its notebook within seconds, in one line naming the notebook", async () => {
    const nb = notebook("no-kernel", ["1"]);
    const t0 = performance.now();
    const err = await runNotebooks([nb], {
      outDir: join(dir, "no-kernel-out"),
      kernelArgv: MISSING_TSLAB,
    }).catch((e: unknown) => e);
    const sec = (performance.now() - t0) / 1000;
    expect(err).toBeInstanceOf(EsmlabError);
    expect((err as Error).message).toBe(
      `cannot run notebook ${nb}: tslab kernel exited with code 1 while starting (Error: Cannot find module '/nonexistent/tslab/dist/main.js')`,
    );
    expect(sec).toBeLessThan(5);
    expect(liveKernelCount()).toBe(0);
    expect(existsSync(join(dir, "no-kernel-out"))).toBe(false);
  });

  it("fails at once when the kernel command cannot even be spawned", async () => {
    const t0 = performance.now();
    await expect(
      startKernel({ cwd: dir, argv: ["/nonexistent/kernel", "{connection_file}"] }),
    ).rejects.toThrow(/^tslab kernel could not be started \(spawn \/nonexistent\/kernel ENOENT\)$/);
    expect((performance.now() - t0) / 1000).toBeLessThan(5);
  });

  it("leaves nothing that keeps node alive, and no connection folder", async () => {
    const nb = notebook("no-kernel-child", ["1"]);
    const tmp = childTmp("no-kernel");
    // no process.exit in the script: it ends only when no socket, timer or child is left
    const script = [
      `import { runNotebooks } from ${JSON.stringify(resolve("dist/src/notebooks/runner.js"))};`,
      `await runNotebooks([${JSON.stringify(nb)}], { outDir: ${JSON.stringify(join(tmp, "out"))},`,
      `  kernelArgv: ${JSON.stringify(MISSING_TSLAB)} }).catch((e) => console.log(e.message));`,
    ].join("\n");
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
      env: { ...process.env, TMPDIR: tmp },
    });
    const killer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    const res = await finished(child);
    clearTimeout(killer);
    expect(res.err).toBe("");
    expect(res.out).toMatch(
      /^cannot run notebook .*: tslab kernel exited with code 1 while starting/,
    );
    expect(res).toMatchObject({ code: 0, signal: null });
    expect(res.sec).toBeLessThan(8);
    expect(kernelFolders(tmp)).toEqual([]);
  });
});

describe("a cell that ends the kernel (process.exit)", () => {
  it("fails at once, not at the cell timeout, and writes the partial notebook", async () => {
    const nb = notebook("exits", [
      'console.log("before");',
      'console.log("bye"); process.exit(3);',
      'console.log("after");',
    ]);
    const out = join(dir, "exits-out");
    const t0 = performance.now();
    const err = await esmlabNotebooks(nb, "--out", out, "--timeout", "600");
    const sec = (performance.now() - t0) / 1000;
    expect(err).toBeInstanceOf(EsmlabError);
    expect(err?.message).toBe(
      `1 of 1 notebooks failed: ${nb} at cell 2 (id exits-2): KernelDied: the tslab kernel died: it exited with code 3`,
    );
    expect(sec).toBeLessThan(20);
    const executed = parseNotebook(readFileSync(join(out, "exits.ipynb"), "utf8"), "exits");
    const cells = executed.cells as CodeCell[];
    expect(cells[0]?.outputs).toEqual([
      { output_type: "stream", name: "stdout", text: "before\n" },
    ]);
    expect(cells[1]?.outputs).toEqual([
      { output_type: "stream", name: "stdout", text: "bye\n" },
      {
        output_type: "error",
        ename: "KernelDied",
        evalue: "the tslab kernel died: it exited with code 3",
        traceback: ["KernelDied: the tslab kernel died: it exited with code 3"],
      },
    ]);
    expect(cells[2]).toMatchObject({ execution_count: null, outputs: [] });
    expect(executed.metadata.esmlab).toMatchObject({ status: "error", failure: { cell: 2 } });
    expect(liveKernelCount()).toBe(0);
  });
});

describe("esmlab notebooks stopped by Ctrl-C (built CLI)", () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  });

  it("exits 130 with the kernel killed and its connection folder removed", async () => {
    const tmp = childTmp("sigint");
    const marker = join(dir, "sleeping.pid");
    const nb = notebook("sleeps", [
      `require("fs").writeFileSync(${JSON.stringify(marker)}, String(process.pid));\nawait new Promise((r) => setTimeout(r, 60_000));`,
    ]);
    const child = spawn(
      process.execPath,
      ["dist/src/cli/main.js", "notebooks", nb, "--out", join(dir, "sleeps-out")],
      { env: { ...process.env, TMPDIR: tmp } },
    );
    children.push(child);
    const exit = finished(child);
    expect(await waitFor(() => existsSync(marker), 30_000)).toBe(true);
    const kernelPid = Number(readFileSync(marker, "utf8"));
    expect(kernelFolders(tmp)).toHaveLength(1);
    const t0 = performance.now();
    child.kill("SIGINT");
    const res = await exit;
    expect(res).toMatchObject({ code: 130, signal: null });
    expect((performance.now() - t0) / 1000).toBeLessThan(5);
    expect(kernelFolders(tmp)).toEqual([]);
    expect(await waitFor(() => dead(kernelPid), 2_000)).toBe(true);
  });

  it("takes the kernel down with it even when killed outright (SIGKILL)", async () => {
    const marker = join(dir, "orphan.pid");
    const nb = notebook("orphan", [
      `require("fs").writeFileSync(${JSON.stringify(marker)}, String(process.pid));\nawait new Promise((r) => setTimeout(r, 60_000));`,
    ]);
    const child = spawn(process.execPath, [
      "dist/src/cli/main.js",
      "notebooks",
      nb,
      "--out",
      join(dir, "orphan-out"),
    ]);
    children.push(child);
    const exit = finished(child);
    expect(await waitFor(() => existsSync(marker), 30_000)).toBe(true);
    const kernelPid = Number(readFileSync(marker, "utf8"));
    child.kill("SIGKILL");
    await exit;
    // the kernel's watchdog notices its parent is gone within a fraction of a second
    expect(await waitFor(() => dead(kernelPid), 3_000)).toBe(true);
  });
});
