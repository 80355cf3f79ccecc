import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { writeDirAtomic, writeFileAtomic } from "../../src/util/atomic.js";
import { EsmlabError } from "../../src/util/errors.js";

// Lets a test make the rename of a finished temporary into `renameInto` fail, as a full or
// failing disk would; every other call goes to the real file system.
const fault = vi.hoisted(() => ({ renameInto: null as string | null }));
vi.mock("node:fs/promises", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs/promises")>();
  const rename = async (from: string, to: string) => {
    if (to === fault.renameInto && basename(from).includes(".tmp-")) {
      fault.renameInto = null;
      throw Object.assign(new Error(`EIO: simulated i/o error, rename '${from}'`), {
        code: "EIO",
        syscall: "rename",
      });
    }
    return real.rename(from, to);
  };
  return { ...real, rename, default: { ...real, rename } };
});

let root = "";
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "esmlab-atomic-"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Every file under `dir` with its text, sorted by name. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const names = (await readdir(dir)).sort();
  const entries = await Promise.all(
    names.map(async (n) => [n, await readFile(join(dir, n), "utf8")] as const),
  );
  return Object.fromEntries(entries);
}

/** Names left in `dir` by interrupted writes: the hidden `.name.tmp-*` / `.name.old-*`. */
async function leftovers(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((n) => n.startsWith("."));
}

/** A value the write step throws on, after earlier files were already written. */
const poison = 42 as unknown as string;

describe("writeFileAtomic", () => {
  it("creates parent directories and writes text and bytes", async () => {
    const path = join(root, "f", "deep", "a.txt");
    await writeFileAtomic(path, "hello\n");
    expect(await readFile(path, "utf8")).toBe("hello\n");
    await writeFileAtomic(path, new Uint8Array([104, 105]));
    expect(await readFile(path, "utf8")).toBe("hi");
    expect(await leftovers(join(root, "f", "deep"))).toEqual([]);
  });

  it("leaves the old file intact and no temporary when the write fails", async () => {
    const dir = join(root, "f-fail");
    const path = join(dir, "a.txt");
    await writeFileAtomic(path, "old");
    await expect(writeFileAtomic(path, poison)).rejects.toThrow(TypeError);
    expect(await readFile(path, "utf8")).toBe("old");
    expect(await leftovers(dir)).toEqual([]);
  });

  it("reports a directory in the way as an EsmlabError naming the path", async () => {
    const path = join(root, "f-dir");
    await mkdir(path);
    await expect(writeFileAtomic(path, "x")).rejects.toThrow(EsmlabError);
    await expect(writeFileAtomic(path, "x")).rejects.toThrow(`cannot write ${path}: `);
    expect(await leftovers(root)).toEqual([]);
  });
});

describe("writeDirAtomic", () => {
  it("creates the directory, with parents, holding exactly the given files", async () => {
    const dir = join(root, "d-new", "nested", "run");
    await writeDirAtomic(dir, { "run.json": "{}\n", "series.csv": new Uint8Array([116, 10]) });
    expect(await snapshot(dir)).toEqual({ "run.json": "{}\n", "series.csv": "t\n" });
    expect(await leftovers(join(root, "d-new", "nested"))).toEqual([]);
  });

  it("replaces an existing directory whole, leaving nothing behind when it held the same names", async () => {
    const parent = join(root, "d-replace");
    const dir = join(parent, "run");
    await writeDirAtomic(dir, { "a.txt": "old a", "b.txt": "old b" });
    await writeDirAtomic(dir, { "a.txt": "new a", "b.txt": "new b" });
    expect(await snapshot(dir)).toEqual({ "a.txt": "new a", "b.txt": "new b" });
    expect(await leftovers(parent)).toEqual([]);
  });

  it("never deletes a file it does not replace: the old directory stays aside with it", async () => {
    const parent = join(root, "d-replace-keep");
    const dir = join(parent, "run");
    await writeDirAtomic(dir, { "a.txt": "old a", "notes.txt": "the user's" });
    await writeDirAtomic(dir, { "a.txt": "new a" });
    expect(await snapshot(dir)).toEqual({ "a.txt": "new a" });
    const [old] = await leftovers(parent);
    expect(old).toMatch(/^\.run\.old-/);
    expect(await snapshot(join(parent, old!))).toEqual({ "notes.txt": "the user's" });
  });

  it("leaves the old directory intact, and no temporary, when a write fails midway", async () => {
    const parent = join(root, "d-fail");
    const dir = join(parent, "run");
    await writeDirAtomic(dir, { "a.txt": "old a", "b.txt": "old b" });
    await expect(writeDirAtomic(dir, { "a.txt": "new a", "b.txt": poison })).rejects.toThrow(
      TypeError,
    );
    expect(await snapshot(dir)).toEqual({ "a.txt": "old a", "b.txt": "old b" });
    expect(await readdir(parent)).toEqual(["run"]);
  });

  it("puts the old directory back when renaming the new one into place fails", async () => {
    const parent = join(root, "d-swap");
    const dir = join(parent, "run");
    await writeDirAtomic(dir, { "a.txt": "old a" });
    fault.renameInto = dir;
    await expect(writeDirAtomic(dir, { "a.txt": "new a" })).rejects.toThrow(
      `cannot write ${dir}: EIO: simulated i/o error`,
    );
    expect(fault.renameInto).toBeNull(); // the fault was actually hit
    expect(await snapshot(dir)).toEqual({ "a.txt": "old a" });
    expect(await readdir(parent)).toEqual(["run"]);
  });

  it("creates nothing when the first write of a new directory fails", async () => {
    const parent = join(root, "d-fail-new");
    await expect(writeDirAtomic(join(parent, "run"), { "a.txt": poison })).rejects.toThrow();
    expect(await readdir(parent)).toEqual([]);
  });

  it("refuses to replace a file with a directory, leaving the file", async () => {
    const parent = join(root, "d-file");
    await mkdir(parent);
    const path = join(parent, "run");
    await writeFile(path, "not a dir");
    await expect(writeDirAtomic(path, { "a.txt": "x" })).rejects.toThrow(
      `cannot write directory ${path}: a file of that name is in the way`,
    );
    expect(await readFile(path, "utf8")).toBe("not a dir");
    expect(await readdir(parent)).toEqual(["run"]);
  });

  it("rejects file names that are not plain names before touching the disk", async () => {
    const dir = join(root, "d-names");
    for (const name of ["../escape.txt", "sub/a.txt", "", ".."]) {
      await expect(writeDirAtomic(dir, { [name]: "x" })).rejects.toThrow("is not a plain name");
    }
    await expect(readdir(dir)).rejects.toThrow("ENOENT");
  });
});
