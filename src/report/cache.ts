/**
 * The report's notebook cache: executed notebooks are reused when nothing that could change
 * them changed, so a second `esmlab report` only re-renders.
 *
 * The key is a SHA-256 over, per notebook in report order, its file name, its source bytes,
 * its effective parameters and the hashes of its inputs (*Path/*File parameters, hashed as the
 * runner records them), plus the given parameters, esmlab's version and the fingerprint of its
 * built code (so changed library code re-executes the notebooks in a checkout). It is stored in
 * `<cache>/.esmlab-cache.json` only after every notebook succeeded, and removed before a run,
 * so a failed or interrupted run never leaves a key that vouches for partial notebooks.
 * Cost: reading and hashing every notebook and input once (milliseconds for the shipped ones).
 */
import { readFile, rm, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import type { Json } from "../notebooks/nbformat.js";
import type { GivenValue } from "../notebooks/parameters.js";
import { hashInputs, prepareNotebook } from "../notebooks/run-notebook.js";
import { writeFileAtomic } from "../util/atomic.js";
import { EsmlabError } from "../util/errors.js";
import { sha256 } from "../util/hash.js";
import { buildFingerprint, ESMLAB_VERSION } from "../version.js";

/** File name of the key, inside the cache folder. */
export const REPORT_CACHE_FILE = ".esmlab-cache.json";

/** What the key file holds. */
interface CacheRecord {
  key: string;
  notebooks: string[];
}

/**
 * The cache key of executing `paths` with `parameters`.
 *
 * @throws EsmlabError when a notebook cannot be read, a parameter is declared by none of them
 *   or a value has the wrong type (the checks the runner makes before starting any kernel)
 * @example await reportCacheKey(["notebooks/01-blog-cases.ipynb"], {}) // → "3f1c…" (64 hex)
 */
export async function reportCacheKey(
  paths: readonly string[],
  parameters: Readonly<Record<string, GivenValue>>,
): Promise<string> {
  const parts: Json[] = [];
  const declared = new Set<string>();
  for (const path of paths) {
    const prepared = await prepareNotebook(path, { parameters });
    for (const name of prepared.injected) declared.add(name);
    parts.push({
      name: basename(path),
      source: sha256(await readFile(path)),
      parameters: prepared.parameters,
      inputs: await hashInputs(prepared, []),
    });
  }
  // the runner's check, here too: a cache hit must not accept a misspelt parameter
  for (const name of Object.keys(parameters)) {
    if (!declared.has(name)) {
      throw new EsmlabError(
        `unknown parameter ${name}: not declared in the parameters cell of ${paths.join(", ")}`,
      );
    }
  }
  const given: Record<string, Json> = {};
  for (const [k, v] of Object.entries(parameters)) given[k] = "text" in v ? v.text : v.json;
  return sha256(
    JSON.stringify({ esmlab: ESMLAB_VERSION, build: buildFingerprint(), given, notebooks: parts }),
  );
}

/**
 * True when `cacheDir` holds the key `key` and every executed notebook of `paths`.
 * A missing or unreadable key file is a miss, never an error.
 */
export async function isReportCacheFresh(
  cacheDir: string,
  key: string,
  paths: readonly string[],
): Promise<boolean> {
  let record: Partial<CacheRecord>;
  try {
    record = JSON.parse(await readFile(join(cacheDir, REPORT_CACHE_FILE), "utf8"));
  } catch {
    return false;
  }
  if (record.key !== key) return false;
  for (const p of paths) {
    const st = await stat(join(cacheDir, basename(p))).catch(() => null);
    if (st === null || !st.isFile()) return false;
  }
  return true;
}

/** Records `key` for the executed notebooks of `paths` now in `cacheDir` (atomically). */
export async function writeReportCache(
  cacheDir: string,
  key: string,
  paths: readonly string[],
): Promise<void> {
  const record: CacheRecord = { key, notebooks: paths.map((p) => basename(p)) };
  await writeFileAtomic(join(cacheDir, REPORT_CACHE_FILE), `${JSON.stringify(record, null, 2)}\n`);
}

/** Forgets the key, before the executed notebooks are overwritten. */
export async function clearReportCache(cacheDir: string): Promise<void> {
  await rm(join(cacheDir, REPORT_CACHE_FILE), { force: true });
}
