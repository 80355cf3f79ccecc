/**
 * What a command may write over. esmlab writes into the user's folders, so every output is
 * checked before any work starts, and a request that could destroy something is refused with
 * one line (exit 2) naming the folder or file and what is in it.
 *
 *   --out DIR (a run)            ─▶ checkRunDirTarget     absent, empty, or an esmlab run directory
 *   --out DIR (files into a dir) ─▶ checkFilesTarget      each file absent or written by esmlab
 *                                   recordOutputs          (the folder's .esmlab-output.json lists
 *                                                          what esmlab wrote, with its SHA-256)
 *   --out FILE                   ─▶ checkFileTarget       absent, or recognised as esmlab's
 *   a new folder (esmlab init)   ─▶ checkNewDirTarget     absent or empty
 *
 * Whatever the kind, a folder target is never the working directory or one of its ancestors,
 * the filesystem root, the home folder, a project root (a folder holding `.git` or
 * `package.json`, esmlab's own included), nor a folder that holds — or lies inside — an input
 * of the command. Paths are compared after resolving symbolic links, so a link cannot smuggle
 * a protected folder past the checks.
 *
 * Cost: a few `stat`/`readdir` calls, and hashing the files about to be replaced.
 */
import { readdir, readFile, realpath, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { basename, dirname, join, parse, relative, resolve, sep } from "node:path";
import { writeFileAtomic } from "./atomic.js";
import { EsmlabError } from "./errors.js";
import { sha256 } from "./hash.js";

/** The file, in a folder esmlab writes files into, that lists what esmlab wrote there. */
export const OUTPUT_MANIFEST = ".esmlab-output.json";
const MANIFEST_FORMAT = "esmlab.output/1";

/** What a command reads: files or folders it must never write over or into. */
export interface OutputGuardOptions {
  /** input files and folders of the command (relative to the working directory) */
  readonly inputs?: readonly string[];
  /** the option that named the target, for messages (default "--out") */
  readonly option?: string;
}

/** The files of a run directory (`writeRun`); kept here so the guard needs no run types. */
const RUN_DIR_FILES = new Set(["run.json", "series.csv"]);
const RUN_FORMAT = "esmlab.run/1";

/**
 * Checks that `dir` may be replaced by a run directory: it is absent, empty, or a run directory
 * esmlab wrote (`run.json` of format `esmlab.run/1`, beside at most `series.csv`), and it is not a
 * protected folder (see the module comment).
 *
 * @throws EsmlabError (exit 2) naming `dir` and what is in it, when it may not be replaced
 * @example await checkRunDirTarget("runs/case1", { inputs: ["my-scenario.json"] });
 */
export async function checkRunDirTarget(
  dir: string,
  options: OutputGuardOptions = {},
): Promise<void> {
  const target = await checkFolder(dir, options);
  const entries = await listFolder(target, dir, options);
  if (entries === null || entries.length === 0) return;
  const strangers = entries.filter((e) => !RUN_DIR_FILES.has(e));
  if (strangers.length === 0 && (await isRunJson(join(target, "run.json")))) return;
  throw refuse(
    options,
    dir,
    `it holds ${describeEntries(strangers.length > 0 ? strangers : entries)} and is not an esmlab run directory`,
  );
}

/**
 * Checks that a new folder may be created at `dir`: it is absent or an empty folder, and not a
 * protected folder (see the module comment).
 *
 * @throws EsmlabError (exit 2) naming `dir` and what is in it, when it may not be created there
 * @example await checkNewDirTarget("my-study", { option: "init" });
 */
export async function checkNewDirTarget(
  dir: string,
  options: OutputGuardOptions = {},
): Promise<void> {
  const target = await checkFolder(dir, options);
  const entries = await listFolder(target, dir, options);
  if (entries === null || entries.length === 0) return;
  throw refuse(options, dir, `it is not empty (it holds ${describeEntries(entries)})`);
}

/**
 * Checks that `names` may be written into folder `dir`: each is absent, or is a file esmlab
 * wrote there and nobody changed since (listed in the folder's {@link OUTPUT_MANIFEST} with the
 * same SHA-256); other files in the folder are left alone. `dir` must not be a protected folder.
 *
 * @throws EsmlabError (exit 2) naming the first file that may not be replaced, or the folder
 * @example await checkFilesTarget("reports", ["esmlab-report.html", "esmlab-report.pdf"]);
 */
export async function checkFilesTarget(
  dir: string,
  names: readonly string[],
  options: OutputGuardOptions = {},
): Promise<void> {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) {
      throw refuse(options, dir, `two outputs would both be written to ${name}`);
    }
    seen.add(name);
  }
  const target = await checkFolder(dir, options);
  if ((await listFolder(target, dir, options)) === null) return;
  const manifest = await readManifest(target);
  for (const name of names) {
    const path = join(target, name);
    const st = await stat(path).catch(() => null);
    if (st === null) continue;
    const shown = join(dir, name);
    if (!st.isFile()) {
      throw refuse(options, dir, `${shown} is a folder, not an esmlab output`);
    }
    const recorded = manifest[name];
    if (recorded === undefined) {
      throw refuse(options, dir, `${shown} exists and was not written by esmlab`);
    }
    // null: claimed by a command that was interrupted before it recorded the file's hash
    if (recorded !== null && sha256(await readFile(path)) !== recorded) {
      throw refuse(options, dir, `${shown} was changed since esmlab wrote it`);
    }
  }
}

/**
 * Records in `dir`'s {@link OUTPUT_MANIFEST} that esmlab writes `names` there: with `pending`,
 * before writing (a claim, so an interrupted command's partial outputs stay replaceable); else
 * after writing, with each file's SHA-256 as it is now. Entries of files that no longer exist
 * and are not pending are dropped.
 *
 * @example
 * await checkFilesTarget("out", ["a.ipynb"]);
 * await recordOutputs("out", ["a.ipynb"], { pending: true });
 * // … write out/a.ipynb …
 * await recordOutputs("out", ["a.ipynb"]);
 */
export async function recordOutputs(
  dir: string,
  names: readonly string[],
  options: { pending?: boolean } = {},
): Promise<void> {
  const target = resolve(dir);
  const files: Record<string, string | null> = {};
  for (const [name, hash] of Object.entries(await readManifest(target))) {
    if (hash === null || (await isFile(join(target, name)))) files[name] = hash;
  }
  for (const name of names) {
    const path = join(target, name);
    if (options.pending) files[name] = null;
    else if (await isFile(path)) files[name] = sha256(await readFile(path));
    else delete files[name];
  }
  const sorted = Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1)));
  await writeFileAtomic(
    join(target, OUTPUT_MANIFEST),
    `${JSON.stringify({ format: MANIFEST_FORMAT, files: sorted }, null, 2)}\n`,
  );
}

/**
 * Checks that file `path` may be written: it is absent, or `isOurs(content)` recognises it as an
 * esmlab output of the same kind; it is not one of the command's inputs, and not a folder.
 *
 * @param what what the file is, for messages ("a scenario JSON Schema")
 * @param isOurs recognises esmlab's own output; null when an existing file is never replaced
 * @throws EsmlabError (exit 2) naming `path`
 */
export async function checkFileTarget(
  path: string,
  what: string,
  isOurs: ((content: string) => boolean) | null,
  options: OutputGuardOptions = {},
): Promise<void> {
  const target = await realTarget(path);
  for (const input of await realInputs(options.inputs)) {
    if (target === input) throw refuse(options, path, "it is an input of this command");
  }
  const st = await stat(target).catch(() => null);
  if (st === null) return;
  if (!st.isFile()) throw refuse(options, path, "it is a folder");
  if (isOurs === null) throw refuse(options, path, `it exists, and esmlab never replaces ${what}`);
  let content: string;
  try {
    content = await readFile(target, "utf8");
  } catch (err) {
    throw refuse(options, path, `it cannot be read (${(err as Error).message})`);
  }
  if (!isOurs(content)) throw refuse(options, path, `it exists and is not ${what} esmlab wrote`);
}

/** Resolves `dir` and refuses the folders no command may write over or into. */
async function checkFolder(dir: string, options: OutputGuardOptions): Promise<string> {
  const target = await realTarget(dir);
  const cwd = await realpath(process.cwd()).catch(() => resolve(process.cwd()));
  if (target === parse(target).root) throw refuse(options, dir, "it is the filesystem root");
  if (target === (await realpath(homedir()).catch(() => resolve(homedir())))) {
    throw refuse(options, dir, "it is the home folder");
  }
  if (target === cwd) throw refuse(options, dir, "it is the working directory");
  if (isInside(cwd, target)) throw refuse(options, dir, "it holds the working directory");
  for (const marker of [".git", "package.json"]) {
    if (await exists(join(target, marker))) {
      throw refuse(options, dir, `it is a project root (it holds ${marker})`);
    }
  }
  for (const input of await realInputs(options.inputs)) {
    if (input === target || isInside(input, target)) {
      throw refuse(
        options,
        dir,
        `it holds ${relative(cwd, input) || input}, an input of this command`,
      );
    }
    if (isInside(target, input)) {
      throw refuse(
        options,
        dir,
        `it is inside ${relative(cwd, input) || input}, an input of this command`,
      );
    }
  }
  return target;
}

/** The entries of folder `target`, or null when it does not exist. */
async function listFolder(
  target: string,
  dir: string,
  options: OutputGuardOptions,
): Promise<string[] | null> {
  const st = await stat(target).catch(() => null);
  if (st === null) return null;
  if (!st.isDirectory()) throw refuse(options, dir, "it is a file, not a folder");
  try {
    return (await readdir(target)).sort();
  } catch (err) {
    throw refuse(options, dir, `it cannot be listed (${(err as Error).message})`);
  }
}

/**
 * The absolute, link-free form of `path`, which need not exist: the longest existing ancestor
 * is resolved with realpath and the rest appended.
 */
async function realTarget(path: string): Promise<string> {
  const abs = resolve(path);
  const rest: string[] = [];
  let cur = abs;
  for (;;) {
    try {
      return join(await realpath(cur), ...rest.reverse());
    } catch {
      const up = dirname(cur);
      if (up === cur) return abs;
      rest.push(basename(cur));
      cur = up;
    }
  }
}

async function realInputs(inputs: readonly string[] | undefined): Promise<string[]> {
  return Promise.all((inputs ?? []).map((p) => realTarget(p)));
}

/** True when `inner` lies strictly inside folder `outer`. */
function isInside(inner: string, outer: string): boolean {
  const prefix = outer.endsWith(sep) ? outer : outer + sep;
  return inner.startsWith(prefix);
}

async function isRunJson(path: string): Promise<boolean> {
  try {
    const data: unknown = JSON.parse(await readFile(path, "utf8"));
    return (
      typeof data === "object" &&
      data !== null &&
      (data as { format?: unknown }).format === RUN_FORMAT
    );
  } catch {
    return false;
  }
}

async function readManifest(dir: string): Promise<Record<string, string | null>> {
  try {
    const data = JSON.parse(await readFile(join(dir, OUTPUT_MANIFEST), "utf8")) as {
      format?: unknown;
      files?: unknown;
    };
    if (data.format !== MANIFEST_FORMAT || typeof data.files !== "object" || data.files === null) {
      return {};
    }
    const files: Record<string, string | null> = {};
    for (const [name, hash] of Object.entries(data.files)) {
      if ((typeof hash === "string" || hash === null) && !/[/\\]/.test(name)) files[name] = hash;
    }
    return files;
  } catch {
    // no manifest, or one that is not ours: nothing in the folder is known to be esmlab's
    return {};
  }
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null)) !== null;
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isFile() === true;
}

/** "3 entries: .git, src, package.json" — at most four names shown. */
function describeEntries(entries: readonly string[]): string {
  const shown = entries.slice(0, 4).join(", ");
  const more = entries.length > 4 ? `, … (${entries.length} in all)` : "";
  return `${entries.length === 1 ? "1 entry" : `${entries.length} entries`}: ${shown}${more}`;
}

function refuse(options: OutputGuardOptions, path: string, why: string): EsmlabError {
  const shown = path === "" ? '""' : path;
  return new EsmlabError(
    `refusing ${options.option ?? "--out"} ${shown}: ${why}; nothing was written`,
    { exitCode: 2 },
  );
}
