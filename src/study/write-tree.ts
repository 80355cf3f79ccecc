/**
 * Writes a new folder tree all at once: built under a hidden temporary name beside the target,
 * then renamed into place, so a reader (or an interrupted `esmlab init`) sees either no study or
 * the whole study. The tree version of `writeDirAtomic` (src/util/atomic.ts), which writes flat
 * folders and may replace an old one; this one only ever creates.
 */
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { mkdir, open, rename, rm, rmdir } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import { EsmlabError } from "../util/errors.js";

/**
 * Creates folder `dir` holding `files` (relative path with `/` → content; text is UTF-8).
 * `dir` must be absent or an empty folder: an empty one is replaced by the rename (POSIX), or
 * removed just before it elsewhere. Parent folders are created as needed.
 *
 * @throws EsmlabError when the file system refuses, or `dir` is no longer absent or empty;
 *   nothing is left behind then (no temporary folder, no partial tree)
 * @throws Error when a path is absolute or leaves the tree (a caller bug)
 * @example
 * await writeTreeAtomic("study", { "README.md": "# study\n", "data/README.md": "# data\n" });
 */
export async function writeTreeAtomic(
  dir: string,
  files: Readonly<Record<string, string | Uint8Array>>,
): Promise<void> {
  for (const path of Object.keys(files)) checkRelative(path);
  const target = resolve(dir);
  const tmp = join(
    dirname(target),
    `.${basename(target)}.tmp-${process.pid}-${randomBytes(6).toString("hex")}`,
  );
  pending.add(tmp);
  try {
    await mkdir(dirname(target), { recursive: true });
    await mkdir(tmp);
    for (const [path, data] of Object.entries(files)) {
      const file = join(tmp, ...path.split("/"));
      await mkdir(dirname(file), { recursive: true });
      const handle = await open(file, "wx");
      try {
        await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    await renameOntoEmpty(tmp, target);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    if (err instanceof EsmlabError) throw err;
    if (err instanceof Error && typeof (err as NodeJS.ErrnoException).syscall === "string") {
      throw new EsmlabError(`cannot write ${dir}: ${err.message}`, { cause: err });
    }
    throw err;
  } finally {
    pending.delete(tmp);
  }
}

/** Renames `from` to `to`, which may be an empty folder; refuses a non-empty one. */
async function renameOntoEmpty(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
    return;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOTEMPTY" || code === "EEXIST" || code === "ENOTDIR") {
      throw new EsmlabError(`cannot write ${to}: something appeared there meanwhile`, {
        cause: err,
      });
    }
    // Windows does not rename onto an existing folder: remove the empty one first (rmdir
    // refuses a folder that is not empty, so nothing of anyone's is lost)
    if (code !== "EPERM" && code !== "EACCES") throw err;
    await rmdir(to);
    await rename(from, to);
  }
}

function checkRelative(path: string): void {
  const parts = path.split("/");
  if (
    isAbsolute(path) ||
    parts.some((p) => p === "" || p === "." || p === ".." || /[\\\0]/.test(p))
  ) {
    throw new Error(
      `writeTreeAtomic: ${JSON.stringify(path)} is not a relative path inside the tree`,
    );
  }
}

/** Temporary trees being written now, removed if the process exits meanwhile (Ctrl-C). */
const pending = new Set<string>();
process.on("exit", () => {
  for (const path of pending) {
    try {
      rmSync(path, { recursive: true, force: true });
    } catch {
      // best effort while exiting
    }
  }
});
