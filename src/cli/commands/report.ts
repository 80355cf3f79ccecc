import { readFile, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { type Command, InvalidArgumentError, Option } from "commander";
import Handlebars from "handlebars";
import { readNotebook } from "../../notebooks/nbformat.js";
import type { GivenValue } from "../../notebooks/parameters.js";
import type { NotebookResult } from "../../notebooks/run-notebook.js";
import {
  clearReportCache,
  isReportCacheFresh,
  REPORT_CACHE_FILE,
  reportCacheKey,
  writeReportCache,
} from "../../report/cache.js";
import type { ReportNotebook } from "../../report/collect.js";
import { destinationPages } from "../../report/pdf-destinations.js";
import { renderReportHtml } from "../../report/render-html.js";
import {
  CHROMIUM_INSTALL,
  chromiumVersion,
  DEFAULT_CHROMIUM,
  PAPER,
  type Paper,
  type Printer,
  renderReportPdf,
  startPrinter,
} from "../../report/render-pdf.js";
import { writeFileAtomic } from "../../util/atomic.js";
import { EsmlabError } from "../../util/errors.js";
import { checkFilesTarget, recordOutputs } from "../../util/output-guard.js";
import { parseSeconds } from "../options.js";
import {
  collectParam,
  defaultNotebooks,
  describeFailure,
  parseJobs,
  runNotebooksFromCli,
} from "./notebooks.js";

interface ReportFlags {
  outDir: string;
  name: string;
  cache?: string;
  execute: boolean;
  refresh: boolean;
  param: Record<string, string>;
  title: string;
  subtitle?: string;
  template?: string;
  showCode: boolean;
  interactive: boolean;
  paper: Paper;
  pdf: boolean;
  chromium: string;
  timeout: number;
  jobs?: number;
  strict: boolean;
}

const DEFAULT_FOLDER = "notebooks";

/**
 * Adds `esmlab report [NOTEBOOK.ipynb…]`: executes the notebooks into a cache folder, then
 * writes `<out-dir>/<name>.html`, `.provenance.json` and `.pdf`, each atomically, printing each
 * stage's time.
 *
 * ```
 * cache key ─▶ (unchanged? reuse : runNotebooks) ─▶ cache/*.ipynb ─▶ renderReportHtml ─▶ .html
 *   + .provenance.json ─▶ renderReportPdf ─▶ .pdf
 *   startPrinter (once a core is free of notebooks) ─┘
 * ```
 * The notebooks are re-run only when a notebook, a parameter, an input file or esmlab's version
 * changed (src/report/cache.ts), or with --refresh. A failed notebook stops the command before
 * any report is written (exit 1), leaving earlier report files as they were. Without Chromium
 * the HTML is still written and the command exits 1 with the apt command to install it.
 */
export function registerReport(program: Command): void {
  program
    .command("report")
    .description("execute the notebooks and render them as one HTML and PDF report")
    .argument(
      "[notebook...]",
      `notebooks in report order (default: every .ipynb in ${DEFAULT_FOLDER}/)`,
    )
    .option("-o, --out-dir <dir>", "folder for the report files", "reports")
    .option(
      "--name <name>",
      "file name of the report, without extension",
      parseReportName,
      "esmlab-report",
    )
    .option("--cache <dir>", "folder for the executed notebooks (default: <out-dir>/notebooks)")
    .option("--no-execute", "do not run the notebooks; use the executed copies in the cache folder")
    .option("--refresh", "run the notebooks even when nothing changed since the cached run", false)
    .option("-p, --param <key=value>", "set a notebook parameter (repeatable)", collectParam, {})
    .option("--title <text>", "the report's title", "esmlab report")
    .option("--subtitle <text>", "a line under the title")
    .option(
      "--template <dir>",
      "a folder of layout.hbs, style.css, partials/*.hbs overriding the defaults",
    )
    .option("--show-code", "show code cells (except those tagged hide-input)", false)
    .option(
      "--strict",
      "refuse to write a report with warnings (a cross-reference to no figure or table, a malformed data output)",
      false,
    )
    .option(
      "--interactive",
      "inline vega-embed: live charts in the HTML (the static SVG stays as the fallback; the PDF prints the SVG)",
      false,
    )
    .addOption(
      new Option("--paper <size>", "PDF paper size").choices(Object.keys(PAPER)).default("a4"),
    )
    .option("--no-pdf", "write the HTML only")
    .option("--chromium <path>", "the Chromium to print with", DEFAULT_CHROMIUM)
    .option("-t, --timeout <sec>", "per-cell time limit in seconds", parseSeconds, 600)
    .option("-j, --jobs <n>", "notebooks run at once (default: the core count)", parseJobs)
    .addHelpText(
      "after",
      '\nExample:\n  esmlab report --title "MSK scaling, March" --paper letter\n\n' +
        `The PDF needs Chromium and fonts: ${CHROMIUM_INSTALL}`,
    )
    .action(async (notebooks: string[], flags: ReportFlags) => {
      const paths = notebooks.length > 0 ? notebooks : await defaultNotebooks();
      const cache = flags.cache ?? join(flags.outDir, "notebooks");
      // every output is checked before any kernel starts: nothing of the user's is replaced
      const inputs = [...paths, ...(flags.template === undefined ? [] : [flags.template])];
      const reportFiles = [
        `${flags.name}.html`,
        `${flags.name}.provenance.json`,
        ...(flags.pdf ? [`${flags.name}.pdf`] : []),
      ];
      await checkFilesTarget(flags.outDir, reportFiles, { inputs, option: "--out-dir" });
      // Chromium and its page start before the HTML renders, so their start-up stays out of the
      // PDF step: while notebooks run, once a core is free of them (the last notebooks still
      // running); otherwise at once
      const printer = flags.pdf ? lazyPrinter(flags.chromium) : null;
      // for the provenance appendix; `chromium --version` takes most of a second (Debian's
      // wrapper script), so it runs beside everything before the HTML
      const chromium = flags.pdf ? chromiumVersion(flags.chromium) : Promise.resolve(null);
      try {
        if (flags.execute) {
          const cacheFiles = [...paths.map((p) => basename(p)), REPORT_CACHE_FILE];
          const option = flags.cache === undefined ? "--out-dir" : "--cache";
          await checkFilesTarget(cache, cacheFiles, { inputs, option });
          await executeOrReuse(
            paths,
            cache,
            flags,
            () => recordOutputs(cache, cacheFiles, { pending: true }),
            // a failed notebook ends the command: no Chromium to start and wait for
            (finished) => {
              if (finished.every((r) => r.status === "ok")) printer?.start();
            },
          );
          await recordOutputs(cache, cacheFiles);
        }
        // started by now if a core came free during the notebooks, else from here
        const printing = printer?.start() ?? null;
        await recordOutputs(flags.outDir, reportFiles, { pending: true });
        const executed: ReportNotebook[] = [];
        for (const p of paths) {
          const name = basename(p);
          executed.push({ name, notebook: await readNotebook(join(cache, name)) });
        }
        await writeReport(executed, flags, await chromium, printing);
      } finally {
        await printer?.close();
      }
    });
}

/**
 * A Chromium and its page, started on the first `start()` (later calls return the same
 * promise); `close()` closes the browser if it was started. A failed start is reported where
 * the printer is awaited, never as an unhandled rejection.
 */
function lazyPrinter(executablePath: string): {
  start(): Promise<Printer>;
  close(): Promise<void>;
} {
  let started: Promise<Printer> | null = null;
  return {
    start() {
      if (started === null) {
        started = startPrinter({ executablePath });
        started.catch(() => {});
      }
      return started;
    },
    async close() {
      await started?.then(
        (p) => p.browser.close(),
        () => {},
      );
    },
  };
}

/**
 * Renders and writes the HTML and the provenance file, then prints and writes the PDF with the
 * Chromium started beforehand (null with --no-pdf); `chromium` is its version, for provenance.
 */
async function writeReport(
  executed: readonly ReportNotebook[],
  flags: ReportFlags,
  chromium: string | null,
  printer: Promise<Printer> | null,
): Promise<void> {
  const htmlStart = performance.now();
  const warnings: string[] = [];
  let provenance = "";
  const html = await renderReportHtml(executed, {
    title: flags.title,
    name: flags.name,
    onProvenance: (json) => {
      provenance = json;
    },
    showCode: flags.showCode,
    interactive: flags.interactive,
    onWarning: (message) => {
      warnings.push(message);
      process.stderr.write(`warning: ${message}\n`);
    },
    tools: {
      handlebars: Handlebars.VERSION,
      ...(chromium === null ? {} : { chromium }),
    },
    ...(flags.subtitle === undefined ? {} : { subtitle: flags.subtitle }),
    ...(flags.template === undefined ? {} : { templateDir: flags.template }),
  });
  const base = join(flags.outDir, flags.name);
  if (flags.strict && warnings.length > 0) {
    throw new EsmlabError(
      `--strict: ${warnings.length} warning${warnings.length === 1 ? "" : "s"} (first: ${warnings[0]}); no report written`,
    );
  }
  await writeFileAtomic(`${base}.html`, html);
  await writeFileAtomic(`${base}.provenance.json`, provenance);
  await recordOutputs(flags.outDir, [`${flags.name}.html`, `${flags.name}.provenance.json`]);
  process.stdout.write(`wrote ${base}.html (html render ${secondsSince(htmlStart)})\n`);
  process.stdout.write(`wrote ${base}.provenance.json\n`);
  if (printer === null) return;
  const pdfStart = performance.now();
  let pdf: Uint8Array;
  try {
    const pagesGuess = await previousPages(`${base}.pdf`);
    const { browser, page } = await printer;
    pdf = await renderReportPdf(html, {
      browser,
      page,
      ...(pagesGuess === null ? {} : { pagesGuess }),
      title: flags.title,
      paper: flags.paper,
      executablePath: flags.chromium,
      onWarning: (message) => process.stderr.write(`warning: ${message}\n`),
    });
  } catch (err) {
    if (err instanceof EsmlabError) {
      throw new EsmlabError(`wrote ${base}.html but no PDF: ${err.message}`, { cause: err });
    }
    throw err;
  }
  await writeFileAtomic(`${base}.pdf`, pdf);
  await recordOutputs(flags.outDir, [`${flags.name}.pdf`]);
  process.stdout.write(`wrote ${base}.pdf (pdf render ${secondsSince(pdfStart)})\n`);
}

/** Largest earlier PDF read for its page numbers; a report is a few MB. */
const MAX_PREVIOUS_PDF_BYTES = 64 * 1024 * 1024;

/**
 * Where the contents' entries landed in the report's previous PDF (this command's own output:
 * the output guard refused anything else at that path), as a first guess that spares the
 * layout-only print when the report is rendered again; null when there is none to read.
 */
async function previousPages(path: string): Promise<Map<string, number> | null> {
  try {
    if ((await stat(path)).size > MAX_PREVIOUS_PDF_BYTES) return null;
    const pages = destinationPages(await readFile(path));
    return pages.size > 0 ? pages : null;
  } catch {
    return null; // absent or unreadable: print without a guess
  }
}

/** `--name`: a plain file name, so the report stays inside --out-dir. */
function parseReportName(value: string): string {
  if (value === "" || value === "." || value === ".." || /[/\\\0]/.test(value)) {
    throw new InvalidArgumentError(`expected a file name without folders, got "${value}"`);
  }
  return value;
}

/** Runs the notebooks into `cache` unless its key says they are already there. */
async function executeOrReuse(
  paths: string[],
  cache: string,
  flags: ReportFlags,
  claim: () => Promise<void>,
  onSlotFree: (finished: readonly NotebookResult[]) => void,
): Promise<void> {
  const start = performance.now();
  const parameters: Record<string, GivenValue> = {};
  for (const [k, v] of Object.entries(flags.param)) parameters[k] = { text: v };
  const key = await reportCacheKey(paths, parameters);
  if (!flags.refresh && (await isReportCacheFresh(cache, key, paths))) {
    process.stdout.write(
      `notebooks unchanged: reused ${paths.length} executed in ${cache} (cache hit ${secondsSince(start)}; --refresh re-runs them)\n`,
    );
    return;
  }
  // the key goes first: until every notebook succeeded, the cache vouches for nothing
  await claim();
  await clearReportCache(cache);
  await execute(paths, cache, parameters, flags, onSlotFree);
  await writeReportCache(cache, key, paths);
  process.stdout.write(`executed ${paths.length} notebooks (execute ${secondsSince(start)})\n`);
}

async function execute(
  paths: string[],
  cache: string,
  parameters: Record<string, GivenValue>,
  flags: ReportFlags,
  onSlotFree: (finished: readonly NotebookResult[]) => void,
): Promise<void> {
  const results = await runNotebooksFromCli(paths, {
    outDir: cache,
    parameters,
    onSlotFree,
    cellTimeoutMs: flags.timeout * 1000,
    ...(flags.jobs === undefined ? {} : { concurrency: flags.jobs }),
  });
  const failed = results.filter((r) => r.status !== "ok");
  if (failed.length > 0) {
    throw new EsmlabError(
      `${failed.length} of ${results.length} notebooks failed, no report written: ${failed.map(describeFailure).join("; ")}`,
    );
  }
}

/** Wall time since `start` (a performance.now() reading), e.g. "1.23 s". */
function secondsSince(start: number): string {
  return `${((performance.now() - start) / 1000).toFixed(2)} s`;
}
