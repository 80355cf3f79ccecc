/**
 * The kernelspec: tslab found by module resolution (not by a guessed node_modules path), argv
 * absolute, written into the nearest project, and startable as Jupyter starts it — the argv
 * with `{connection_file}` substituted, run as is.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { startKernel } from "../../src/notebooks/kernel.js";
import { tslabBin } from "../../src/notebooks/kernel-process.js";
import {
  jupyterCommand,
  KERNEL_DISPLAY_NAME,
  kernelSpec,
  kernelSpecPath,
  projectRoot,
  writeKernelSpec,
} from "../../src/notebooks/kernelspec.js";
import { isEsmlabError } from "../../src/util/errors.js";
import { tempDir } from "../helpers.js";

const ROOT = resolve(import.meta.dirname, "../..");

describe("tslabBin", () => {
  it("is tslab's bin script as Node resolves the tslab package from esmlab", () => {
    const manifest = createRequire(join(ROOT, "src", "index.ts")).resolve("tslab/package.json");
    expect(tslabBin()).toBe(join(dirname(manifest), "bin", "tslab"));
    expect(existsSync(tslabBin())).toBe(true);
  });
});

describe("kernelSpec", () => {
  it("runs tslab's bin script through esmlab's launcher on this Node, all absolute paths", () => {
    const spec = kernelSpec() as { argv: string[]; display_name: string; language: string };
    expect(spec.argv).toEqual([
      process.execPath,
      join(ROOT, "dist", "src", "notebooks", "tslab-kernel.cjs"),
      tslabBin(),
      "kernel",
      "--config-path",
      "{connection_file}",
    ]);
    for (const path of spec.argv.slice(0, 3)) {
      expect(isAbsolute(path)).toBe(true);
      expect(existsSync(path)).toBe(true);
    }
    expect(spec).toMatchObject({ display_name: KERNEL_DISPLAY_NAME, language: "typescript" });
  });

  it("starts a kernel that runs a cell, as Jupyter runs the argv", async () => {
    const { argv } = kernelSpec() as { argv: string[] };
    const kernel = await startKernel({ cwd: "test/fixtures/notebooks", argv });
    try {
      const res = await kernel.execute("1 + 2", 30_000);
      expect(res.status).toBe("ok");
      expect(res.outputs).toEqual([{ output_type: "stream", name: "stdout", text: "3\n" }]);
    } finally {
      await kernel.close();
    }
  });
});

describe("projectRoot", () => {
  it("is the nearest folder at or above the working directory holding a package.json", () => {
    const dir = tempDir("esmlab-kernelspec-root-");
    writeFileSync(join(dir, "package.json"), "{}");
    mkdirSync(join(dir, "notebooks", "drafts"), { recursive: true });
    expect(projectRoot(join(dir, "notebooks", "drafts"))).toBe(dir);
    expect(projectRoot(dir)).toBe(dir);
    expect(projectRoot(ROOT)).toBe(ROOT);
  });
});

describe("writeKernelSpec", () => {
  it("writes <project>/.jupyter/kernels/esmlab-tslab/kernel.json, replacing its own", async () => {
    const root = tempDir("esmlab-kernelspec-");
    const path = await writeKernelSpec(root);
    expect(path).toBe(join(root, ".jupyter", "kernels", "esmlab-tslab", "kernel.json"));
    expect(kernelSpecPath(root)).toBe(path);
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual(kernelSpec());
    expect(await writeKernelSpec(root)).toBe(path);
  });

  it("refuses a kernel.json esmlab did not write, leaving it as it was", async () => {
    const root = tempDir("esmlab-kernelspec-foreign-");
    const path = kernelSpecPath(root);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, '{"display_name": "someone else"}');
    const err = await writeKernelSpec(root).catch((e: unknown) => e);
    expect(isEsmlabError(err) && err.exitCode).toBe(2);
    expect((err as Error).message).toMatch(/refusing kernelspec .*not a kernelspec esmlab wrote/);
    expect(readFileSync(path, "utf8")).toBe('{"display_name": "someone else"}');
  });
});

describe("jupyterCommand", () => {
  it("sets JUPYTER_PATH absolute and names notebooks/ relative to where it is typed", () => {
    const root = tempDir("esmlab-kernelspec-cmd-");
    expect(jupyterCommand(root, root)).toBe(`JUPYTER_PATH=${root}/.jupyter jupyter notebook`);
    mkdirSync(join(root, "notebooks", "x"), { recursive: true });
    expect(jupyterCommand(root, root)).toBe(
      `JUPYTER_PATH=${root}/.jupyter jupyter notebook notebooks/`,
    );
    expect(jupyterCommand(root, join(root, "notebooks", "x"))).toBe(
      `JUPYTER_PATH=${root}/.jupyter jupyter notebook ../`,
    );
  });

  it("quotes a path with spaces for the shell", () => {
    expect(jupyterCommand("/path/to/my project", "/")).toBe(
      "JUPYTER_PATH='/path/to/my project/.jupyter' jupyter notebook",
    );
  });
});
