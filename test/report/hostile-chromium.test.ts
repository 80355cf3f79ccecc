/**
 * Hostile notebook outputs checked by the real consumer: the system Chromium parses what the
 * sanitisers wrote, loads a report holding every payload (with its CSP bypassed, so the
 * sanitisers alone are tested), loads a report from a template without a CSP, and prints.
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import fc from "fast-check";
import type { Browser, Page } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReportNotebook } from "../../src/report/collect.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { renderReportHtml } from "../../src/report/render-html.js";
import { DEFAULT_CHROMIUM, launchChromium, renderReportPdf } from "../../src/report/render-pdf.js";
import { sanitizeMarkdownHtml, sanitizeSvg, sanitizeTable } from "../../src/report/sanitize.js";
import { EsmlabError } from "../../src/util/errors.js";
import {
  MARKDOWN_HTML_PAYLOADS,
  MARKDOWN_PAYLOADS,
  markupSoup,
  outputOf,
  type ParsedElement,
  problems,
  SVG_PAYLOADS,
  TABLE_PAYLOADS,
} from "./hostile.js";
import { code, md, nb, sampleNotebooks } from "./report-fixtures.js";

const hasChromium = existsSync(DEFAULT_CHROMIUM);
const fixed = { generatedAt: new Date("2026-03-04T05:06:07Z"), gitCommit: "0123456789abcdef" };

/** One notebook holding every payload: Markdown cells, SVG and table outputs. */
function hostileNotebooks(): ReportNotebook[] {
  const cells = [
    md("# Hostile outputs"),
    ...Object.values(MARKDOWN_PAYLOADS).map((source) => md(source)),
    ...Object.values(SVG_PAYLOADS).map((svg) =>
      code("showChart(x)", [outputOf("image/svg+xml", svg)]),
    ),
    ...Object.values(TABLE_PAYLOADS).map((table) =>
      code("showTable(x)", [outputOf("text/html", table)]),
    ),
  ];
  return [{ name: "hostile.ipynb", notebook: nb(cells, { status: "ok" }) }];
}

/** What a page did that a safe report never does. */
interface Watch {
  dialogs: string[];
  requests: string[];
  navigations: string[];
}

describe.skipIf(!hasChromium)("hostile notebook outputs in Chromium", () => {
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "esmlab-hostile-"));
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  /** Opens `html` from a file, recording dialogs, requests and navigations; clicks every link. */
  const visit = async (
    html: string,
    name: string,
    bypassCsp: boolean,
  ): Promise<{ page: Page; watch: Watch; url: string }> => {
    const path = join(dir, name);
    await writeFile(path, html);
    const url = pathToFileURL(path).href;
    const page = await browser.newPage();
    await page.setBypassCSP(bypassCsp);
    await page.evaluateOnNewDocument(() => {
      const w = window as unknown as { __violations: string[] };
      w.__violations = [];
      document.addEventListener("securitypolicyviolation", (e) =>
        w.__violations.push(`${e.effectiveDirective} ${e.blockedURI}`),
      );
    });
    const watch: Watch = { dialogs: [], requests: [], navigations: [] };
    page.on("dialog", (d) => {
      watch.dialogs.push(d.message());
      void d.dismiss();
    });
    page.on("request", (r) => {
      if (r.url() !== url && !r.url().startsWith("data:")) watch.requests.push(r.url());
    });
    await page.goto(url, { waitUntil: "load" });
    await page.waitForFunction("window.__esmlabReady === true", { timeout: 10_000 });
    page.on("framenavigated", (f) => {
      // in-page anchors (#figure-1) keep the document; anything else replaced it
      if (f === page.mainFrame() && f.url().split("#")[0] !== url) watch.navigations.push(f.url());
    });
    await page.evaluate(() => {
      (window as unknown as { __probe: number }).__probe = 1;
      // a click follows a link's URL as it is now (an animation may have changed an SVG
      // link's): javascript: would run; http(s), mailto and file (relative) links only leave
      for (const a of Array.from(document.querySelectorAll("a"))) {
        const href = a instanceof SVGAElement ? a.href.animVal : (a.getAttribute("href") ?? "");
        if (href === "") continue;
        const scheme = new URL(href, document.baseURI).protocol;
        if (["http:", "https:", "mailto:", "file:"].includes(scheme)) continue;
        a.dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true }));
      }
    });
    // meta refresh with delay 0, animations of 0.01 s and load handlers have run by now
    await new Promise((done) => setTimeout(done, 700));
    return { page, watch, url };
  };

  const state = (page: Page) =>
    page.evaluate(() => {
      const w = window as unknown as { pwned?: unknown; __probe?: number; __violations: string[] };
      return {
        pwned: w.pwned ?? null,
        probe: w.__probe ?? null,
        title: document.title,
        violations: w.__violations,
      };
    });

  it("parses every sanitised payload, and 200 random markup soups, to nothing executable", async () => {
    const outputs = [
      ...Object.values(SVG_PAYLOADS).map(sanitizeSvg),
      ...Object.values(TABLE_PAYLOADS).map((t) => sanitizeTable(t).html),
      ...Object.values(MARKDOWN_PAYLOADS).map((s) => renderMarkdown(s).html),
      ...Object.values(MARKDOWN_HTML_PAYLOADS).map(sanitizeMarkdownHtml),
      ...fc
        .sample(markupSoup, { numRuns: 200, seed: 9 })
        .flatMap((s) => [
          sanitizeSvg(`<svg>${s}</svg>`),
          sanitizeTable(`<table><tr><td>${s}`).html,
          sanitizeMarkdownHtml(s),
        ]),
    ];
    const page = await browser.newPage();
    const parsed = await page.evaluate((fragments: string[]) => {
      // DOMParser documents run nothing and load nothing: a pure parse, as the page would do it
      return fragments.map((fragment) => {
        const doc = new DOMParser().parseFromString(
          `<!DOCTYPE html><body><div>${fragment}</div>`,
          "text/html",
        );
        return Array.from(doc.body.querySelectorAll("*")).map((e) => ({
          name: e.localName,
          attributes: Array.from(e.attributes).map((a) => [a.name, a.value]),
        }));
      });
    }, outputs);
    await page.close();
    const found = parsed.flatMap((elements, i) =>
      problems(elements as ParsedElement[]).map((p) => `${p} in ${outputs[i]}`),
    );
    expect(found).toEqual([]);
  });

  it("loads a report holding every payload, CSP bypassed: no script runs, no load, no navigation", async () => {
    const html = await renderReportHtml(hostileNotebooks(), { ...fixed, title: "Hostile report" });
    const { page, watch, url } = await visit(html, "hostile.html", true);
    expect(await state(page)).toEqual({
      pwned: null,
      probe: 1,
      title: "Hostile report",
      violations: [],
    });
    expect(watch).toEqual({ dialogs: [], requests: [], navigations: [] });
    expect(page.url().split("#")[0]).toBe(url);
    // the payloads' harmless parts are still shown: figures and tables were kept
    expect(await page.$$eval("figure.chart svg", (s) => s.length)).toBe(
      Object.keys(SVG_PAYLOADS).length,
    );
    await page.close();
  });

  it("puts the CSP first in <head> of a template that has none; a script the template lets in does not run", async () => {
    const tpl = await mkdtemp(join(tmpdir(), "esmlab-tpl-nocsp-"));
    await mkdir(join(tpl, "partials"));
    // a careless layout: no CSP, and the title unescaped
    await writeFile(
      join(tpl, "layout.hbs"),
      '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n<title>{{title}}</title>\n</head>\n<body><h1>{{{title}}}</h1>\n{{#each sections}}{{> section}}{{/each}}\n<script>{{{readyScript}}}</script>\n</body>\n</html>\n',
    );
    const title = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>';
    const notebooks = hostileNotebooks();
    notebooks[0]!.notebook.cells.push(
      code("display.html(x)", [outputOf("text/html", "<script>window.pwned=3</script>")]),
    );
    const html = await renderReportHtml(notebooks, { ...fixed, title, templateDir: tpl });
    expect(html).toMatch(
      /^<!DOCTYPE html>\n<html>\n<head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; [^"]*script-src 'sha256-[^"]+'">\n<meta charset="utf-8">/,
    );
    const { page, watch } = await visit(html, "nocsp.html", false);
    const first = await page.evaluate(() => {
      const meta = document.head.firstElementChild;
      return [meta?.localName, meta?.getAttribute("http-equiv")];
    });
    expect(first).toEqual(["meta", "Content-Security-Policy"]);
    const { pwned, probe, violations } = await state(page);
    expect({ pwned, probe }).toEqual({ pwned: null, probe: 1 });
    // the template's own injection was there and the CSP stopped it (the ready script ran)
    expect(violations.some((v) => v.startsWith("script-src"))).toBe(true);
    expect(watch.navigations).toEqual([]);
    await page.close();
  });

  it("prints the report holding every payload in a few seconds", async () => {
    const html = await renderReportHtml(hostileNotebooks(), { ...fixed, title: "Hostile report" });
    const start = performance.now();
    const pdf = await renderReportPdf(html, { title: "Hostile report" });
    expect(Buffer.from(pdf).subarray(0, 5).toString()).toBe("%PDF-");
    expect(performance.now() - start).toBeLessThan(15_000);
  });

  it("stops printing at once when the page navigates away, naming the notebook and figure", async () => {
    const html = await renderReportHtml(sampleNotebooks(), fixed);
    // as if an SVG's <meta http-equiv="refresh"> had got past the sanitiser
    const at = /<figure class="chart" id="figure-2">\s*<div class="svg">/.exec(html)?.[0] ?? "";
    expect(at).not.toBe("");
    for (const target of ["about:blank", "http://192.0.2.1/"]) {
      const hostile = html.replace(
        at,
        `${at}<meta http-equiv="refresh" content="0;url=${target}">`,
      );
      const start = performance.now();
      const err = await renderReportPdf(hostile, { title: "t", timeoutMs: 60_000 }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(EsmlabError);
      expect((err as Error).message).toBe(
        `report "t": the page tried to navigate to ${target} (01-blog-cases.ipynb, Figure 2: <meta http-equiv="refresh">); printing stopped`,
      );
      // not the 60 s time-out: launch, load and stop (≈ 1 s here when the machine is idle)
      expect(performance.now() - start).toBeLessThan(20_000);
    }
  });
});

describe("renderReportHtml and templates without a <head>", () => {
  it("refuses a layout whose page has content before <head>, naming the layout", async () => {
    const tpl = await mkdtemp(join(tmpdir(), "esmlab-tpl-nohead-"));
    await writeFile(
      join(tpl, "layout.hbs"),
      "<!DOCTYPE html><html><body>{{#each sections}}{{> section}}{{/each}}</body></html>",
    );
    await expect(
      renderReportHtml(sampleNotebooks(), { ...fixed, templateDir: tpl }),
    ).rejects.toThrow(
      `invalid report layout ${join(tpl, "layout.hbs")}: the page must start with <head> (after an optional doctype and <html>), where esmlab puts its content security policy`,
    );
    await writeFile(join(tpl, "layout.hbs"), "<script>x()</script><head></head>");
    await expect(
      renderReportHtml(sampleNotebooks(), { ...fixed, templateDir: tpl }),
    ).rejects.toThrow(EsmlabError);
  });
});
