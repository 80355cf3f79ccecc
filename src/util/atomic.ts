/**
 * All-or-nothing file and directory writes, so a crash or a bad value never leaves a
 * half-written output behind (STYLE.md, "never a half-written output file").
 *
 * Both functions write under a temporary name in the target's own directory (a rename is only
 * atomic within one file system), fsync, then rename into place. Neither is safe against two
 * processes writing the same target at once; the last rename wins or one of them fails.
 */
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { lstat, mkdir, open, rename, rm, rmdir, unlink } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import { EsmlabError } from "./errors.js";

/**
 * Writes `data` to `path` atomically: a reader sees either the old file or the whole new one.
 * Parent directories are created as needed; an existing file is replaced.
 *
 * @param path the file to write
 * @param data text (written as UTF-8) or bytes
 * @throws EsmlabError when the file system refuses (permission, no space, a directory in the
 *   way), naming `path`; the old file, if any, is left untouched and no temporary file remains
 * @example
 * await writeFileAtomic("out/run-1/notes.txt", "hello\n"); // out/run-1/ created if missing
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await besideTarget(path, async (tmp, target) => {
    await writeSynced(tmp, data);
    await rename(tmp, target);
    await syncDir(dirname(target));
  });
}

/**
 * Writes a directory of files atomically: the new directory is built next to `dir` under a
 * temporary name, then renamed into place. If `dir` exists it is replaced — renamed aside, the
 * new one renamed in — so a reader never sees a half-written directory (at worst, for an
 * instant, no directory). Of the old one, only the files named in `files` are deleted: if it
 * held anything else, it stays beside `dir` as `.<name>.old-*`, never deleted. Callers decide
 * first whether `dir` may be replaced at all (src/util/output-guard.ts). Parent directories are
 * created as needed.
 *
 * @param dir the directory to write
 * @param files file name → content; names are plain (no path separators), text is UTF-8
 * @throws EsmlabError when the file system refuses or `dir` is an existing non-directory,
 *   naming `dir`; on any failure the old directory is left intact and no temporary remains
 * @throws Error when a file name is not a plain name (a caller bug)
 * @example
 * await writeDirAtomic("runs/case1", { "run.json": "{}\n", "series.csv": "t\n" });
 * // runs/case1/ now holds exactly those two files
 */
export async function writeDirAtomic(
  dir: string,
  files: Readonly<Record<string, string | Uint8Array>>,
): Promise<void> {
  for (const name of Object.keys(files)) checkPlainName(name);
  await besideTarget(dir, async (tmp, target) => {
    const existing = await lstat(target).catch(() => null);
    if (existing !== null && !existing.isDirectory()) {
      throw new EsmlabError(`cannot write directory ${dir}: a file of that name is in the way`);
    }
    await mkdir(tmp);
    for (const [name, data] of Object.entries(files)) await writeSynced(join(tmp, name), data);
    await syncDir(tmp);
    if (existing === null) {
      await rename(tmp, target);
    } else {
      await swapIn(tmp, target, Object.keys(files));
    }
    await syncDir(dirname(target));
  });
}

/**
 * Creates folder `dir` holding a tree of `files` (relative path with `/` → content; text is
 * UTF-8) all at once: built under a hidden temporary name beside it, then renamed into place, so
 * a reader (or an interrupted `esmlab init`) sees either nothing or the whole tree. Unlike
 * {@link writeDirAtomic} it only ever creates: `dir` must be absent or an empty folder (replaced
 * by the rename on POSIX, removed just before it elsewhere). Parent folders are created as needed.
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
  await besideTarget(dir, async (tmp, target) => {
    await mkdir(tmp);
    for (const [path, data] of Object.entries(files)) {
      const file = join(tmp, ...path.split("/"));
      await mkdir(dirname(file), { recursive: true });
      await writeSynced(file, data);
    }
    await renameOntoEmpty(tmp, target);
  });
}

/**
 * Runs `write` with a fresh temporary name beside `path` (same directory, so a rename into place
 * is atomic), after creating the parent directories. On failure the temporary is removed and a
 * file-system error becomes an EsmlabError naming `path`; an exit meanwhile removes it too.
 */
async function besideTarget(
  path: string,
  write: (tmp: string, target: string) => Promise<void>,
): Promise<void> {
  const target = resolve(path);
  const tmp = tempSibling(target, "tmp");
  pending.add(tmp);
  try {
    await mkdir(dirname(target), { recursive: true });
    await write(tmp, target);
  } catch (err) {
    await removeQuietly(tmp);
    throw wrapFsError(err, path);
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

/** Replaces directory `target` by `fresh`, restoring `target` if the second rename fails. */
async function swapIn(fresh: string, target: string, names: readonly string[]): Promise<void> {
  // Node has no renameat2(RENAME_EXCHANGE), so the swap is two renames with a rollback.
  const old = tempSibling(target, "old");
  await rename(target, old);
  try {
    await rename(fresh, target);
  } catch (err) {
    await rename(old, target);
    throw err;
  }
  // The new directory is already in place. The old one is emptied of the files this write
  // replaced and removed only if nothing else is left in it: a file that appeared since the
  // caller checked the folder survives in `.name.old-*` rather than being deleted.
  await removeReplaced(old, names);
}

/** Unlinks `names` in `dir`, then `dir` itself if it is empty; never recursive. */
async function removeReplaced(dir: string, names: readonly string[]): Promise<void> {
  for (const name of names) await unlink(join(dir, name)).catch(() => undefined);
  await rmdir(dir).catch(() => undefined);
}

function checkPlainName(name: string): void {
  if (name === "" || name === "." || name === ".." || /[/\\\0]/.test(name)) {
    throw new Error(`writeDirAtomic: file name ${JSON.stringify(name)} is not a plain name`);
  }
}

/** A hidden, unique name beside `target`, in the same directory so rename stays atomic. */
function tempSibling(target: string, tag: string): string {
  const unique = `${process.pid}-${randomBytes(6).toString("hex")}`;
  return join(dirname(target), `.${basename(target)}.${tag}-${unique}`);
}

async function writeSynced(path: string, data: string | Uint8Array): Promise<void> {
  const handle = await open(path, "wx");
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes a rename durable; skipped where directories cannot be fsynced (Windows). */
async function syncDir(dir: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(dir, "r");
    await handle.sync();
  } catch {
    // Durability only: the rename itself has already happened atomically.
  } finally {
    await handle?.close();
  }
}

/**
 * Temporary files and folders being written now. An interrupted command (SIGINT, SIGTERM, an
 * uncaught error) exits through `process.exit`, which runs 'exit' listeners synchronously: the
 * listener removes them, so an interruption leaves no `.name.tmp-*` behind.
 */
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

async function removeQuietly(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true }).catch(() => undefined);
}

/** System errors (they carry a `syscall`) are the user's to fix; anything else is a bug. */
function wrapFsError(err: unknown, path: string): unknown {
  if (err instanceof EsmlabError) return err;
  if (err instanceof Error && typeof (err as NodeJS.ErrnoException).syscall === "string") {
    return new EsmlabError(`cannot write ${path}: ${err.message}`, { cause: err });
  }
  return err;
}
