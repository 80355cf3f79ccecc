/**
 * Report HTML → PDF with the system Chromium through puppeteer-core 24 (25 needs Node ≥ 22.12;
 * plain `puppeteer` downloads its own browser, which this network refuses — docs/toolchain.md).
 *
 * ```
 * launch (offline flags) ─▶ block every non-file request and every navigation ─▶ setContent
 * ─▶ wait for window.__esmlabReady ─▶ page.pdf (layout only) ─▶ each contents entry's page, from
 * the PDF's named destinations ─▶ numbers into the contents ─▶ page.pdf (header title, footer
 * "page X of Y", outline, tagged) ─▶ pages still where they were? (else fill and print again,
 * once) ─▶ close
 * ```
 * Page numbers in the contents take two prints: a page's breaks are known only once Chromium
 * has paginated, and neither CSS nor the DOM tells where (Chromium implements no
 * `target-counter()`, https://developer.mozilla.org/en-US/docs/Web/CSS/target-counter). The
 * first print is read for where each contents entry's target landed (pdf-destinations.ts);
 * the number's box has the same width empty or filled (style.css), so filling it moves
 * nothing, and the final print is checked against the first. Both prints reuse the page,
 * which is far cheaper than a second launch. Paged.js (which polyfills `target-counter`)
 * was the alternative; it re-lays the whole report out in script, which the page's
 * Content-Security-Policy would have to allow, and it is slower than a second print.
 * The page never leaves the report: a navigation (a `<meta http-equiv="refresh">` that got
 * past the sanitiser, a template's script) stops the printing at once with an error naming
 * where in the report it came from, instead of waiting out the time limit on a page that will
 * never signal ready. Puppeteer reports a frame's navigations as `framenavigated` and
 * navigation requests through request interception (`HTTPRequest.isNavigationRequest`,
 * https://pptr.dev/api/puppeteer.httprequest.isnavigationrequest); a navigation to
 * `about:blank` makes no request, so both are watched.
 * Cost: ≈ 0.7 s for launch, render and close on a small report; the first print, which draws
 * nothing but the headings, adds about a third of the final one's time.
 */
import { access, constants } from "node:fs/promises";
import type { Browser, Page, PDFOptions } from "puppeteer-core";
import { escapeHtml } from "../display/bundle.js";
import { EsmlabError } from "../util/errors.js";
import { destinationPages } from "./pdf-destinations.js";

/** Paper sizes the report is printed on. */
export const PAPER = { a4: "A4", letter: "Letter" } as const;
export type Paper = keyof typeof PAPER;

/** Where Debian's chromium package puts the browser. */
export const DEFAULT_CHROMIUM = "/usr/bin/chromium";

/** The command that installs what the PDF needs, quoted in the missing-browser error. */
export const CHROMIUM_INSTALL =
  "apt-get install -y --no-install-recommends chromium fonts-liberation poppler-utils";

/** Options of {@link renderReportPdf}. */
export interface RenderPdfOptions {
  /** shown in every page's header */
  title: string;
  /** default "a4" */
  paper?: Paper;
  /** the browser (default /usr/bin/chromium) */
  executablePath?: string;
  /** limit for loading and printing, ms (default 60 000) */
  timeoutMs?: number;
  /** told of a problem that does not stop the PDF: a contents entry whose page is unknown */
  onWarning?: (message: string) => void;
  /**
   * a Chromium started beforehand with {@link launchChromium} (say, while the HTML renders),
   * printed on in a page of its own and left open for the caller to close (default: one
   * started for this print and closed after it)
   */
  browser?: Browser;
  /**
   * a blank page of `browser` opened beforehand (with {@link startPrinter}): opening one
   * starts a renderer process, a few tenths of a second better spent while the HTML renders
   */
  page?: Page;
  /**
   * where the contents' entries landed in an earlier print of this report (its PDF's named
   * destinations, {@link destinationPages}): when it names every entry, the layout-only first
   * print is skipped and the final print checks the numbers, printing again if they moved
   */
  pagesGuess?: ReadonlyMap<string, number>;
}

/** How long the page may take to say where a blocked navigation came from, ms. */
const DIAGNOSE_MS = 2_000;

/** Chromium flags for running as root on a closed network (docs/toolchain.md). */
export const CHROMIUM_ARGS: readonly string[] = [
  "--no-sandbox",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-gpu",
  "--font-render-hinting=none",
];

/**
 * Prints report HTML to PDF bytes. Requests other than `file:`, `data:` and `about:` are
 * aborted, so a report can never reach the network while printing, and so is any navigation
 * away from the report.
 *
 * @throws EsmlabError when Chromium is missing (naming the apt command), fails to start, the
 *   page does not signal ready within the time limit, or the page tries to navigate (at once,
 *   naming the notebook and figure of a `<meta http-equiv="refresh">` when there is one)
 * @example
 * const pdf = await renderReportPdf(html, { title: "esmlab report", paper: "letter" });
 * Buffer.from(pdf).subarray(0, 5).toString(); // → "%PDF-"
 */
export async function renderReportPdf(
  html: string,
  options: RenderPdfOptions,
): Promise<Uint8Array> {
  const timeout = options.timeoutMs ?? 60_000;
  const browser = options.browser ?? (await launchChromium(options));
  let opened: Page | null = null;
  try {
    const page = options.page ?? (await browser.newPage());
    opened = page;
    page.setDefaultTimeout(timeout);
    let navigated: (url: string) => void = () => {};
    const navigation = new Promise<string>((resolve) => {
      navigated = resolve;
    });
    await page.setRequestInterception(true);
    page.on("request", (request) => {
      if (request.isNavigationRequest() && request.frame() === page.mainFrame()) {
        navigated(request.url());
        void request.abort("blockedbyclient");
      } else if (/^(file|data|about):/i.test(request.url())) void request.continue();
      else void request.abort("blockedbyclient");
    });
    page.on("framenavigated", (frame) => {
      if (frame === page.mainFrame()) navigated(frame.url());
    });
    const print = async (): Promise<Uint8Array> => {
      await page.emulateMediaType("print");
      await page.setContent(html, { waitUntil: "load", timeout });
      try {
        await page.waitForFunction("window.__esmlabReady === true", { timeout });
      } catch (err) {
        throw new EsmlabError(
          `report page did not signal ready (window.__esmlabReady) within ${timeout} ms`,
          { cause: err },
        );
      }
      const small =
        "style=\"font-family: 'Liberation Sans', Arial, sans-serif; font-size: 8pt; color: #5b6472; width: 100%; margin: 0 15mm;\"";
      // what decides where pages break: the first print needs only this
      const layout = {
        format: PAPER[options.paper ?? "a4"],
        margin: { top: "18mm", bottom: "18mm", left: "15mm", right: "15mm" },
        timeout,
      };
      const final = {
        ...layout,
        printBackground: true,
        displayHeaderFooter: true,
        headerTemplate: `<div ${small}>${escapeHtml(options.title)}</div>`,
        footerTemplate: `<div ${small}><span style="float: right">page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`,
        outline: true,
        tagged: true,
      };
      const targets = await contentsTargets(page);
      if (targets.length === 0) return await page.pdf(final);
      const guess = options.pagesGuess;
      const guessed = guess !== undefined && targets.every((id) => guess.has(id));
      // untagged: the structure tree doubles a print's time and is not needed to learn where
      // the targets land (the named destinations are the same)
      let pages = guessed
        ? guess
        : destinationPages(await layoutPrint(page, { ...layout, tagged: false }));
      // a guess that was wrong costs the print that found it out
      const lastPass = guessed ? 3 : 2;
      for (let pass = 1; ; pass++) {
        await fillContents(page, pages);
        const pdf = await page.pdf(final);
        const printed = destinationPages(pdf);
        const moved = targets.filter((id) => printed.get(id) !== pages.get(id));
        if (moved.length === 0 || pass === lastPass) {
          const unknown = targets.filter((id) => !printed.has(id));
          if (unknown.length > 0) {
            options.onWarning?.(
              `PDF contents: no page number for ${unknown.length} of ${targets.length} entries (first: #${unknown[0]}): the PDF names no destination for them`,
            );
          } else if (moved.length > 0) {
            options.onWarning?.(
              `PDF contents: page numbers still moved after ${guessed ? pass : pass + 1} prints (first: #${moved[0]})`,
            );
          }
          return pdf;
        }
        pages = printed;
      }
    };
    const result = await Promise.race([
      print().then((pdf) => ({ pdf })),
      navigation.then((url) => ({ url })),
    ]);
    if ("pdf" in result) return result.pdf;
    const where = await navigationSource(browser, html).catch(() => null);
    throw new EsmlabError(
      `report "${options.title}": the page tried to navigate to ${shorten(result.url)}${where === null ? "" : ` (${where})`}; printing stopped`,
    );
  } finally {
    if (options.browser === undefined) await browser.close();
    else await opened?.close().catch(() => {});
  }
}

/** A Chromium started beforehand and a blank page of it, for {@link renderReportPdf}. */
export interface Printer {
  readonly browser: Browser;
  readonly page: Page;
}

/**
 * Starts Chromium ({@link launchChromium}) and opens the page the report will be printed on,
 * so that both start-ups overlap other work; the caller closes the browser.
 * @throws EsmlabError as {@link launchChromium} does, or when the page cannot be opened
 */
export async function startPrinter(
  options: Pick<RenderPdfOptions, "executablePath" | "timeoutMs"> = {},
): Promise<Printer> {
  const browser = await launchChromium(options);
  try {
    return { browser, page: await browser.newPage() };
  } catch (err) {
    await browser.close().catch(() => {});
    throw new EsmlabError(`cannot open a page in chromium: ${firstLine(err)}`, { cause: err });
  }
}

/**
 * Starts the system Chromium for {@link renderReportPdf} with the offline flags; the caller
 * closes it. Starting it early lets its start-up (about half a second) overlap other work.
 *
 * @throws EsmlabError when Chromium is missing (naming the apt command) or fails to start
 * @example
 * const browser = await launchChromium();
 * try { await renderReportPdf(html, { title: "t", browser }); } finally { await browser.close(); }
 */
export async function launchChromium(
  options: Pick<RenderPdfOptions, "executablePath" | "timeoutMs"> = {},
): Promise<Browser> {
  const executablePath = options.executablePath ?? DEFAULT_CHROMIUM;
  await checkChromium(executablePath);
  const { launch } = await import("puppeteer-core");
  try {
    return await launch({
      executablePath,
      headless: true,
      args: [...CHROMIUM_ARGS],
      timeout: options.timeoutMs ?? 60_000,
    });
  } catch (err) {
    throw new EsmlabError(`cannot start chromium ${executablePath}: ${firstLine(err)}`, {
      cause: err,
    });
  }
}

/**
 * Everything but the elements with an id hidden while printing: an invisible box is still laid
 * out (CSS 2.1 §11.2, https://www.w3.org/TR/CSS21/visufx.html#visibility), so pages break where
 * they will in the final print, but nothing else is drawn — charts and text are most of a print's
 * cost. The headings (the destinations) stay visible, so Chromium still records where they are.
 */
const LAYOUT_ONLY =
  "body * { visibility: hidden !important; } [id] { visibility: visible !important; }";

/**
 * The first print: layout only, for where the contents' targets land. The style goes in through
 * the DOM, not `page.addStyleTag`, which waits for a load event that a stricter policy than the
 * report's own (a `--template` layout may add one) would never fire; such a policy only makes
 * this print draw everything.
 */
async function layoutPrint(page: Page, options: PDFOptions): Promise<Uint8Array> {
  const toggle = (css: string | null) =>
    page.evaluate((text: string | null) => {
      const { document } = globalThis as unknown as {
        document: {
          getElementById(id: string): { remove(): void } | null;
          createElement(tag: string): { id: string; textContent: string | null };
          head: { append(node: unknown): void };
        };
      };
      document.getElementById("esmlab-layout-only")?.remove();
      if (text === null) return;
      const style = document.createElement("style");
      style.id = "esmlab-layout-only";
      style.textContent = text;
      document.head.append(style);
    }, css);
  await toggle(LAYOUT_ONLY);
  try {
    return await page.pdf(options);
  } finally {
    await toggle(null);
  }
}

/** The ids the table of contents' page-number boxes stand for, in order. */
async function contentsTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    // runs in the page; esmlab's build has no DOM lib, so the DOM types used are spelled out
    const { document } = globalThis as unknown as {
      document: {
        querySelectorAll(s: string): Iterable<{ getAttribute(n: string): string | null }>;
      };
    };
    return [...document.querySelectorAll(".toc-page[data-toc-target]")].map(
      (e) => e.getAttribute("data-toc-target") ?? "",
    );
  });
}

/** Writes each entry's page number into its box (empty when unknown). */
async function fillContents(page: Page, pages: ReadonlyMap<string, number>): Promise<void> {
  await page.evaluate((numbers: Record<string, number>) => {
    const { document } = globalThis as unknown as {
      document: {
        querySelectorAll(s: string): Iterable<{
          getAttribute(n: string): string | null;
          textContent: string | null;
        }>;
      };
    };
    for (const box of document.querySelectorAll(".toc-page[data-toc-target]")) {
      const n = numbers[box.getAttribute("data-toc-target") ?? ""];
      box.textContent = n === undefined ? "" : String(n);
    }
  }, Object.fromEntries(pages));
}

/**
 * Where a navigation most likely came from: the first `<meta http-equiv="refresh">` of the
 * report, as "notebook, Figure 3" (its section's notebook, its figure's or table's label), or
 * null when there is none. The HTML is parsed with DOMParser in a fresh page: that document
 * has no browsing context, so nothing in it runs, loads or refreshes.
 */
async function navigationSource(browser: Browser, html: string): Promise<string | null> {
  const page = await browser.newPage();
  const found = page.evaluate((source: string) => {
    // runs in the page; esmlab's build has no DOM lib, so the few DOM types used are spelled out
    interface Element {
      getAttribute(name: string): string | null;
      closest(selector: string): Element | null;
      querySelector(selector: string): { textContent: string | null } | null;
    }
    const { DOMParser } = globalThis as unknown as {
      DOMParser: new () => {
        parseFromString(
          s: string,
          type: string,
        ): { querySelectorAll(s: string): Iterable<Element> };
      };
    };
    const doc = new DOMParser().parseFromString(source, "text/html");
    const refresh = [...doc.querySelectorAll("meta[http-equiv]")].find(
      (m) => m.getAttribute("http-equiv")?.trim().toLowerCase() === "refresh",
    );
    if (refresh === undefined) return null;
    const notebook = refresh.closest("section[data-notebook]")?.getAttribute("data-notebook");
    const label = refresh.closest("figure")?.querySelector("figcaption .label")?.textContent;
    const parts = [notebook, label?.replace(/\.$/, "")].filter((p) => p != null && p !== "");
    return `${parts.length > 0 ? `${parts.join(", ")}: ` : ""}<meta http-equiv="refresh">`;
  }, html);
  const limit = new Promise<null>((done) => setTimeout(() => done(null), DIAGNOSE_MS).unref());
  return Promise.race([found, limit]);
}

function shorten(url: string): string {
  return url.length > 80 ? `${url.slice(0, 77)}...` : url;
}

/** The browser's version string (e.g. "Chrome/131.0.6778.85"), for the provenance appendix. */
export async function chromiumVersion(executablePath = DEFAULT_CHROMIUM): Promise<string | null> {
  const { execFile } = await import("node:child_process");
  return new Promise((done) => {
    execFile(executablePath, ["--version"], { timeout: 10_000 }, (err, stdout) =>
      done(err ? null : stdout.trim()),
    );
  });
}

/** @throws EsmlabError naming the apt command when the browser is not an executable file */
export async function checkChromium(executablePath: string): Promise<void> {
  try {
    await access(executablePath, constants.X_OK);
  } catch {
    throw new EsmlabError(
      `chromium not found at ${executablePath}: install it with: ${CHROMIUM_INSTALL}`,
    );
  }
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split("\n")[0] ?? "";
}
