/**
 * Every number a reader sees in the default report's tables is written for a reader: the
 * report is rendered by the CLI from the shipped notebooks (executed here on the tslab kernel),
 * and each table cell's text is read by its real consumer, Chromium's DOM, then scanned for
 * what the shared number formatter (src/util/format.ts) never writes:
 *
 * - a float artefact: 6 or more decimals (356.20000000000005), or a run of zeros ending in a
 *   digit, or of nines (0.30000000000000004, 2.9999999);
 * - an integer of 5 or more digits without thousands separators (600060);
 * - a hyphen-minus before a digit (a minus sign is U+2212; "2026-12-02" and "p50-d1" are not
 *   minus signs, the hyphen there follows a letter or digit);
 * - a percentage above 1,000 % (a relative error against a tiny reference is a ratio, "×20").
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CHROMIUM, launchChromium } from "../../src/report/render-pdf.js";
import { runCli, tempDir } from "../helpers.js";

/** A number in running text: not part of a word, a hash or a dotted version. */
const NUMBER = /(?<![\p{L}\p{N}_.])[-\u2212]?\d[\d,]*(?:\.\d+)?(?![\p{L}\p{N}_])/gu;

/** What is wrong with the numbers of one cell's text, one line per problem (none: []). */
function numberProblems(text: string): string[] {
  const problems: string[] = [];
  for (const [token] of text.matchAll(NUMBER)) {
    const [whole = "", fraction = ""] = token.replace(/^[-\u2212]/, "").split(".");
    const digits = `${whole}${fraction}`.replace(/,/g, "");
    if (fraction.length >= 6)
      problems.push(`float artefact ${token} (${fraction.length} decimals)`);
    else if (/0{6,}[1-9]|9{6,}/.test(digits)) problems.push(`float artefact ${token}`);
    if (!whole.includes(",") && whole.length >= 5) problems.push(`ungrouped ${token}`);
  }
  if (/(?<![\p{L}\p{N}_.])-\d/u.test(text)) problems.push("hyphen-minus before a digit");
  for (const [percent, value = ""] of text.matchAll(/(\d[\d,]*(?:\.\d+)?)\s*%/g)) {
    if (Number(value.replace(/,/g, "")) > 1000)
      problems.push(`percentage above 1,000 %: ${percent}`);
  }
  return problems;
}

describe("numberProblems (the scan itself)", () => {
  it.each([
    ["12.11271846935892", "float artefact 12.11271846935892 (14 decimals)"],
    ["-0.1258000000000017", "float artefact -0.1258000000000017 (16 decimals)"],
    ["356.20000000000005", "float artefact 356.20000000000005 (14 decimals)"],
    ["2.9999999 s", "float artefact 2.9999999 (7 decimals)"],
    ["drained after 600060 s", "ungrouped 600060"],
    ["200000 records", "ungrouped 200000"],
    ["11.5 (blog 900, -98.7 %)", "hyphen-minus before a digit"],
    ["20 (blog 1, 1900.0 %)", "percentage above 1,000 %: 1900.0 %"],
  ])("finds what is wrong with %j", (text, problem) => {
    expect(numberProblems(text)).toContain(problem);
  });

  it.each([
    "600,060",
    "20,000,000",
    "55.6\u00a0h",
    "\u22120.126",
    "11.5 (blog 900, \u221298.7%)",
    "20 (blog 1, ×20)",
    "2026-12-02T01:35:20.324Z",
    "p50-d1 (legacy-15min)",
    "measured-e994793c77ff",
    "sha256:9f122b3ca671ea6613d5a7b38011a9ef",
    "Chromium 156.0.8078.114",
    "1024",
    "0.0152",
  ])("passes %j", (text) => {
    expect(numberProblems(text)).toEqual([]);
  });
});

const hasChromium = existsSync(DEFAULT_CHROMIUM);

describe.skipIf(!hasChromium)("the default report's tables", () => {
  const out = tempDir("esmlab-report-numbers-");
  /** Each cell's text as the browser reads it, with its table's caption for the message. */
  let cells: { table: string; text: string }[] = [];
  let html = "";

  beforeAll(async () => {
    // `esmlab report` with its defaults: every shipped notebook, executed on the tslab kernel
    const res = runCli("report", "--out-dir", out, "--no-pdf");
    expect(res.code, res.err).toBe(0);
    html = readFileSync(join(out, "esmlab-report.html"), "utf8");
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      // a pure parse: DOMParser documents run no script and load nothing
      cells = await page.evaluate((source: string) => {
        const doc = new DOMParser().parseFromString(source, "text/html");
        return Array.from(doc.querySelectorAll("table")).flatMap((table, i) => {
          const name =
            table.closest("figure")?.querySelector("figcaption")?.textContent?.trim() ??
            `table ${i + 1}`;
          return Array.from(table.querySelectorAll("th, td")).map((cell) => ({
            table: name.slice(0, 60),
            text: cell.textContent ?? "",
          }));
        });
      }, html);
    } finally {
      await browser.close();
    }
  }, 600_000);

  it("has the tables of every notebook", () => {
    // the shipped notebooks' numbered tables, and the appendix's
    expect(new Set(cells.map((c) => c.table)).size).toBeGreaterThanOrEqual(15);
    expect(cells.length).toBeGreaterThan(500);
  });

  it("writes no float artefact, ungrouped integer, hyphen-minus or percentage above 1,000 %", () => {
    const found = cells.flatMap((c) =>
      numberProblems(c.text).map((p) => `${c.table}: ${JSON.stringify(c.text)}: ${p}`),
    );
    expect(found).toEqual([]);
  });

  it("says the shipped example is synthetic, and opens the summary with notebook 02's findings", () => {
    expect(html).toContain("This input is synthetic, not a measurement.");
    const start = html.indexOf('id="executive-summary"');
    const summary = html.slice(start, html.indexOf("</section>", start)).replace(/<[^>]+>/g, "");
    expect(summary).toContain(
      "The synthetic example example-case2-synthetic.gmd (made by esmlab, not a measurement)",
    );
    expect(summary).toMatch(/Calibration changed the evaluation interval/);
  });

  it("shows a 55-hour drain in hours and large counts grouped", () => {
    const texts = cells.map((c) => c.text);
    expect(texts).toContain("55.6\u00a0h");
    expect(texts.some((t) => /\b\d{1,3}(,\d{3})+\b/.test(t))).toBe(true);
  });
});
