/**
 * Which esmlab a new study depends on: the dependency spec written into its package.json, chosen
 * so that `npm install` in the study installs the esmlab that made it.
 *
 * ```
 * --esmlab SPEC ───────────────────────────────▶ SPEC (a path made absolute: file:/abs/…)
 * nearest package.json at or above the working directory
 *   depends on esmlab via file: / git / URL ──▶ that spec (file: made absolute)
 * otherwise ──────────────────────────────────▶ ^<running esmlab's version>
 * ```
 *
 * A `file:` spec is resolved against the folder of the package.json that holds it (npm's rule),
 * then written absolute, because the study's package.json lives elsewhere.
 */
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { EsmlabError } from "../util/errors.js";

/** Where a study's esmlab spec came from. */
export const SPEC_SOURCE = {
  option: "given by --esmlab",
  project: "as the project's package.json has it",
  version: "this esmlab's version",
} as const;
export type SpecSource = keyof typeof SPEC_SOURCE;

/** A study's esmlab dependency. */
export interface EsmlabSpec {
  /** the value of `dependencies.esmlab` in the study's package.json */
  spec: string;
  source: SpecSource;
  /** the package.json the spec was taken from (source "project") */
  from?: string;
}

/** Options of {@link resolveEsmlabSpec}. */
export interface EsmlabSpecOptions {
  /** `--esmlab`: a version range, a tarball or folder path, a `file:`, git or URL spec */
  explicit?: string;
  /** the folder `esmlab init` runs in (default: the working directory) */
  cwd?: string;
  /** the running esmlab's version, for the default `^version` */
  version: string;
}

const DEPENDENCY_FIELDS = ["dependencies", "devDependencies", "optionalDependencies"] as const;

/**
 * The spec a new study's package.json gives esmlab.
 *
 * @throws EsmlabError when `explicit` is empty, or the nearest package.json cannot be parsed
 * @example
 * // in /path/to/project, whose package.json has "esmlab": "file:esmlab-0.1.0.tgz"
 * await resolveEsmlabSpec({ version: "0.1.0" });
 * // → { spec: "file:/path/to/project/esmlab-0.1.0.tgz", source: "project",
 * //     from: "/path/to/project/package.json" }
 * await resolveEsmlabSpec({ explicit: "../esmlab-0.1.0.tgz", cwd: "/path/to/project", version: "0.1.0" });
 * // → { spec: "file:/path/to/esmlab-0.1.0.tgz", source: "option" }
 */
export async function resolveEsmlabSpec(options: EsmlabSpecOptions): Promise<EsmlabSpec> {
  const cwd = resolve(options.cwd ?? process.cwd());
  if (options.explicit !== undefined) {
    const given = options.explicit.trim();
    if (given === "") throw new EsmlabError("invalid --esmlab: empty spec", { exitCode: 2 });
    return { spec: absoluteSpec(given, cwd, { bareIsPath: isPathLike(given) }), source: "option" };
  }
  const manifest = await nearestPackageJson(cwd);
  if (manifest !== null) {
    const spec = await dependencySpec(manifest);
    if (spec !== undefined && !isRegistrySpec(spec)) {
      return {
        spec: absoluteSpec(spec, dirname(manifest), { bareIsPath: false }),
        source: "project",
        from: manifest,
      };
    }
  }
  return { spec: `^${options.version}`, source: "version" };
}

/**
 * `spec` with a local path made absolute against `base`: `file:x` and (with `bareIsPath`) a bare
 * path become `file:/abs/x`; anything else is returned as given.
 */
function absoluteSpec(spec: string, base: string, { bareIsPath }: { bareIsPath: boolean }): string {
  if (spec.startsWith("file:")) {
    const path = spec.slice("file:".length).replace(/^\/\/(?=\/)/, ""); // file:///abs → /abs
    return `file:${isAbsolute(path) ? path : join(base, path)}`;
  }
  if (!bareIsPath) return spec;
  // `--esmlab=~/x.tgz` reaches esmlab unexpanded by the shell
  const path = /^~[/\\]/.test(spec) ? join(homedir(), spec.slice(2)) : spec;
  return `file:${resolve(base, path)}`;
}

/**
 * True for what npm reads as a path rather than a registry spec: `./x`, `../x`, `/x`, `~/x`, or a
 * name ending in .tgz / .tar.gz, unless it has a scheme (npm-package-arg's rules; `file:` is handled
 * apart).
 */
function isPathLike(spec: string): boolean {
  if (/^[a-z][a-z0-9+.-]+:/i.test(spec)) return false; // a URL, git+ssh:, github:, npm: …
  return /^(\.{1,2}([/\\]|$)|[/\\]|~[/\\])/.test(spec) || /\.(tgz|tar\.gz|tar)$/.test(spec);
}

/**
 * True for a spec npm resolves on the registry: a version, range or dist-tag (`^0.1.0`, `*`,
 * `latest`). `file:`, git, URL, `npm:` alias and `owner/repo` specs are not, and are copied.
 */
function isRegistrySpec(spec: string): boolean {
  return !/[:/\\]/.test(spec);
}

/** The nearest package.json at or above `dir`, or null. */
async function nearestPackageJson(dir: string): Promise<string | null> {
  for (let cur = dir; ; cur = dirname(cur)) {
    const path = join(cur, "package.json");
    const text = await readFile(path, "utf8").catch(() => null);
    if (text !== null) return path;
    if (dirname(cur) === cur) return null;
  }
}

/** `esmlab`'s spec in the dependency fields of a package.json, or undefined. */
async function dependencySpec(manifest: string): Promise<string | undefined> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(manifest, "utf8"));
  } catch (err) {
    throw new EsmlabError(`cannot read ${manifest}: ${(err as Error).message}`, { cause: err });
  }
  if (typeof data !== "object" || data === null) return undefined;
  for (const field of DEPENDENCY_FIELDS) {
    const deps = (data as Record<string, unknown>)[field];
    if (typeof deps !== "object" || deps === null) continue;
    const spec = (deps as Record<string, unknown>).esmlab;
    if (typeof spec === "string") return spec;
  }
  return undefined;
}
