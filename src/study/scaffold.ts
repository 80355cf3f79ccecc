/**
 * `esmlab init DIR`: a study — a small npm project of its own that depends on esmlab and holds
 * the notebooks, their inputs and the report.
 *
 * ```
 * checkNewDirTarget ─▶ resolveEsmlabSpec ─▶ studyFiles ─▶ writeTreeAtomic
 *   (absent or empty)    (package.json dep)   (templates/study, notebooks/, data/)
 * ```
 *
 * The notebooks are copied as they are in the package: their data paths are relative to their
 * own folder (`../data/…`), so in the study they read the study's `data/`, and every file they
 * name there is copied from the package's `data/` too (the synthetic example export of
 * notebook 02). Cost: reading a few dozen kB, one rename.
 */

import { readdir, readFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import Handlebars from "handlebars";
import { metricQueries } from "../import/fetch.js";
import { CHROMIUM_INSTALL } from "../report/render-pdf.js";
import { SYNTHETIC_CODE } from "../run/synthetic.js";
import { writeTreeAtomic } from "../util/atomic.js";
import { EsmlabError } from "../util/errors.js";
import { checkNewDirTarget } from "../util/output-guard.js";
import { ESMLAB_VERSION, PACKAGE_ROOT } from "../version.js";
import { type EsmlabSpec, resolveEsmlabSpec } from "./esmlab-spec.js";

/** The npm scripts of a study. */
export const STUDY_SCRIPTS = {
  report: "esmlab report",
  notebooks: "esmlab notebooks --out reports/notebooks",
  kernel: "esmlab kernelspec",
} as const;

/** The CloudWatch queries a study's data/README.md gives: fetch's, for these run columns. */
const EXPORT_QUERY_IDS = ["concurrency", "invocations", "lag"];

/** Options of {@link initStudy}. */
export interface InitStudyOptions {
  /** `--esmlab`: the dependency spec to write (see resolveEsmlabSpec) */
  esmlab?: string;
  /** the folder init runs in (default: the working directory) */
  cwd?: string;
}

/** What {@link initStudy} wrote. */
export interface InitStudyResult {
  /** the study folder, absolute */
  dir: string;
  esmlab: EsmlabSpec;
  /** the notebooks copied, by file name */
  notebooks: string[];
  /** every file written, relative to `dir`, in order */
  files: string[];
}

/**
 * Creates a study in `dir`, which must be absent or an empty folder (and not a protected one,
 * see src/util/output-guard.ts); all of it appears at once.
 *
 * @throws EsmlabError (exit 2) when `dir` may not be created, nothing written; EsmlabError when
 *   a notebook names a data file esmlab's package lacks, or the file system refuses
 * @example
 * const study = await initStudy("my-study");
 * study.files; // → [".gitignore", "README.md", "data/README.md", …, "package.json", …]
 */
export async function initStudy(
  dir: string,
  options: InitStudyOptions = {},
): Promise<InitStudyResult> {
  await checkNewDirTarget(dir, { option: "init" });
  const esmlab = await resolveEsmlabSpec({
    version: ESMLAB_VERSION,
    ...(options.esmlab === undefined ? {} : { explicit: options.esmlab }),
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
  });
  const files = await studyFiles({ name: basename(resolve(dir)), esmlab: esmlab.spec });
  await writeTreeAtomic(dir, files);
  return {
    dir: resolve(dir),
    esmlab,
    notebooks: Object.keys(files)
      .filter((p) => p.startsWith("notebooks/"))
      .map((p) => p.slice("notebooks/".length)),
    files: Object.keys(files),
  };
}

/** Options of {@link studyFiles}. */
export interface StudyFilesOptions {
  /** the study's folder name, made into its package name */
  name: string;
  /** `dependencies.esmlab` of its package.json */
  esmlab: string;
  /** the esmlab package to copy from (default: the running one) */
  packageRoot?: string;
  /** esmlab's version, named in the README (default: the running one's) */
  version?: string;
}

/**
 * Every file of a new study: relative path → content, sorted by path.
 *
 * @throws EsmlabError when a notebook names a `../data/` file the package lacks
 */
export async function studyFiles(
  options: StudyFilesOptions,
): Promise<Record<string, string | Uint8Array>> {
  const root = options.packageRoot ?? PACKAGE_ROOT;
  const files: Record<string, string | Uint8Array> = {};
  const notebooks = (await readdir(join(root, "notebooks"))).filter((n) => n.endsWith(".ipynb"));
  const inputs = new Map<string, DataUse[]>();
  for (const name of notebooks.sort()) {
    const bytes = await readFile(join(root, "notebooks", name));
    files[`notebooks/${name}`] = bytes;
    for (const use of dataUses(name, bytes.toString("utf8"))) {
      inputs.set(use.path, [...(inputs.get(use.path) ?? []), use]);
    }
  }
  const examples: { path: string; note: string; readBy: string }[] = [];
  for (const [path, uses] of [...inputs].sort(([a], [b]) => (a < b ? -1 : 1))) {
    let bytes: Buffer;
    try {
      bytes = await readFile(join(root, "data", ...path.split("/")));
    } catch (err) {
      throw new EsmlabError(
        `cannot copy data/${path} into the study: notebooks/${uses[0]!.notebook} reads it and esmlab's package (${root}) has no such file`,
        { cause: err },
      );
    }
    files[`data/${path}`] = bytes;
    examples.push({ path, note: exampleNote(bytes), readBy: describeUses(uses) });
  }
  const queries = metricQueries("my-function").filter((q) => EXPORT_QUERY_IDS.includes(q.Id!));
  files["data/cloudwatch-queries.json"] = `${JSON.stringify(queries, null, 2)}\n`;
  const values = {
    name: packageName(options.name),
    esmlabSpec: options.esmlab,
    esmlabVersion: options.version ?? ESMLAB_VERSION,
    chromiumInstall: CHROMIUM_INSTALL,
    examples,
    queries: JSON.stringify(queries, null, 2),
  };
  for (const [path, text] of await readTemplates(join(root, "templates", "study"))) {
    const [name, content] = renderTemplate(path, text, values);
    files[name] = content;
  }
  files["package.json"] =
    `${JSON.stringify(studyPackageJson(values.name, options.esmlab), null, 2)}\n`;
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** The study's package.json. */
export function studyPackageJson(name: string, esmlabSpec: string): Record<string, unknown> {
  return {
    name,
    version: "0.1.0",
    private: true,
    type: "module",
    description: "An esmlab study: notebooks, their data and the report",
    scripts: { ...STUDY_SCRIPTS },
    engines: { node: ">=20" },
    dependencies: { esmlab: esmlabSpec },
  };
}

/**
 * A valid npm package name from a folder name: lowercase, letters, digits and `-._~` only, no
 * leading dot or underscore (npm's rules); "esmlab-study" when nothing is left.
 *
 * @example packageName("My Study (2026)"); // → "my-study-2026"
 */
export function packageName(folder: string): string {
  const name = folder
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, "-")
    .replace(/^[._-]+|-+$/g, "")
    .slice(0, 214);
  return name === "" || name === "node_modules" || name === "favicon.ico" ? "esmlab-study" : name;
}

/** A `../data/…` path in a notebook, and the parameter that holds it (if declared as one). */
interface DataUse {
  path: string;
  notebook: string;
  parameter: string | null;
}

/** The `../data/…` string literals in a notebook's code cells. */
function dataUses(notebook: string, text: string): DataUse[] {
  const nb = JSON.parse(text) as { cells?: { cell_type?: string; source?: string | string[] }[] };
  const uses: DataUse[] = [];
  for (const cell of nb.cells ?? []) {
    if (cell.cell_type !== "code") continue;
    const source = [cell.source ?? ""].flat().join("");
    for (const m of source.matchAll(
      /(?:const|let)\s+(\w+)\s*(?::[^=]*)?=\s*(["'`])\.\.\/data\/([^"'`]+)\2|(["'`])\.\.\/data\/([^"'`]+)\4/g,
    )) {
      const path = m[3] ?? m[5]!;
      if (uses.some((u) => u.path === path)) continue;
      uses.push({ path, notebook, parameter: m[1] ?? null });
    }
  }
  return uses;
}

/** "`measuredPath` in `notebooks/02-….ipynb`", for each notebook that reads a file. */
function describeUses(uses: readonly DataUse[]): string {
  return uses
    .map(
      (u) => `${u.parameter === null ? "" : `\`${u.parameter}\` in `}\`notebooks/${u.notebook}\``,
    )
    .join(" and ");
}

/** What an example file says it is (its `esmlab.synthetic` message), else a plain warning. */
function exampleNote(bytes: Buffer): string {
  try {
    const data = JSON.parse(bytes.toString("utf8")) as {
      Messages?: { Code?: unknown; Value?: unknown }[];
    };
    const note = data.Messages?.find((m) => m.Code === SYNTHETIC_CODE)?.Value;
    if (typeof note === "string" && note.trim() !== "") return note.trim().replace(/\.$/, "");
  } catch {
    // not JSON: described below
  }
  return "an example input shipped with esmlab, not a measurement";
}

/**
 * Every file under the templates folder, path → text: a `.hbs` file is a Handlebars template,
 * named without the extension; `gitignore` becomes `.gitignore`.
 */
async function readTemplates(dir: string, prefix = ""): Promise<[string, string][]> {
  const out: [string, string][] = [];
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const path = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) out.push(...(await readTemplates(dir, path)));
    else if (entry.isFile()) out.push([path, await readFile(join(dir, path), "utf8")]);
  }
  return out;
}

/** The study file a template makes, and its text. */
function renderTemplate(path: string, text: string, values: object): [string, string] {
  // npm never packs a file named .gitignore, so the template is stored without the dot
  if (path === "gitignore") return [".gitignore", text];
  if (!path.endsWith(".hbs")) return [path, text];
  const render = Handlebars.compile(text, { noEscape: true, strict: true });
  return [path.slice(0, -".hbs".length), render(values)];
}
