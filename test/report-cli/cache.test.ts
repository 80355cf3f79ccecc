import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_CHROMIUM } from "../../src/report/render-pdf.js";
import { runCli, tempDir } from "../helpers.js";

const dir = tempDir("esmlab-report-cache-");
const notebook = join(dir, "tiny.ipynb");
const data = join(dir, "data.txt");
const out = join(dir, "out");
const cacheFile = join(out, "notebooks", ".esmlab-cache.json");
const executedCopy = join(out, "notebooks", "tiny.ipynb");
const html = join(out, "esmlab-report.html");
const pdf = join(out, "esmlab-report.pdf");
const withPdf = existsSync(DEFAULT_CHROMIUM);

/** A two-code-cell notebook; `body` is the second cell. dataPath names an input file. */
function writeTiny(body: string): void {
  const cell = (id: string, source: string, tags: string[] = []) => ({
    cell_type: "code",
    execution_count: null,
    id,
    metadata: tags.length > 0 ? { tags } : {},
    outputs: [],
    source,
  });
  const nb = {
    cells: [
      { cell_type: "markdown", id: "tiny-0", metadata: {}, source: "# Tiny\n\nA small report." },
      cell("tiny-1", 'const dataPath: string = "data.txt";\nconst n: number = 1;', ["parameters"]),
      cell("tiny-2", body),
    ],
    metadata: {
      kernelspec: {
        display_name: "TypeScript (esmlab, tslab)",
        language: "typescript",
        name: "esmlab-tslab",
      },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
  writeFileSync(notebook, `${JSON.stringify(nb, null, 1)}\n`);
}

function report(...args: string[]): ReturnType<typeof runCli> {
  return runCli("report", notebook, "--out-dir", out, ...(withPdf ? [] : ["--no-pdf"]), ...args);
}

const EXECUTED = /^executed 1 notebooks \(execute \d+\.\d\d s\)$/m;
const REUSED =
  /^notebooks unchanged: reused 1 executed in .* \(cache hit \d+\.\d\d s; --refresh re-runs them\)$/m;

describe("esmlab report's notebook cache", () => {
  writeFileSync(data, "first\n");
  writeTiny("n * 2");

  it("executes the notebooks on the first run, printing each stage's time", () => {
    const res = report();
    expect(res.err).toBe("");
    expect(res.code).toBe(0);
    expect(res.out).toMatch(EXECUTED);
    expect(res.out).toMatch(/^wrote .*esmlab-report\.html \(html render \d+\.\d\d s\)$/m);
    if (withPdf)
      expect(res.out).toMatch(/^wrote .*esmlab-report\.pdf \(pdf render \d+\.\d\d s\)$/m);
    expect(existsSync(cacheFile)).toBe(true);
  });

  it("reuses the executed notebooks when nothing changed, and only re-renders", () => {
    const before = statSync(executedCopy).mtimeMs;
    const res = report();
    expect(res.code).toBe(0);
    expect(res.out).toMatch(REUSED);
    expect(res.out).not.toMatch(EXECUTED);
    expect(statSync(executedCopy).mtimeMs).toBe(before);
  });

  it("re-runs when an input file or a parameter changes, or with --refresh", () => {
    writeFileSync(data, "second\n");
    expect(report().out).toMatch(EXECUTED);
    expect(report().out).toMatch(REUSED);
    expect(report("-p", "n=2").out).toMatch(EXECUTED);
    expect(report("-p", "n=2").out).toMatch(REUSED);
    expect(report("-p", "n=2", "--refresh").out).toMatch(EXECUTED);
  }, 180_000);

  it("rejects an undeclared parameter before anything runs, even on a cache hit", () => {
    const res = report("-p", "n=2", "-p", "colour=red");
    expect(res.code).toBe(1);
    expect(res.err).toMatch(/^esmlab: unknown parameter colour: not declared/);
  });

  it("leaves the earlier report byte-identical when a notebook fails, and forgets the key", () => {
    const oldHtml = readFileSync(html);
    const oldPdf = withPdf ? readFileSync(pdf) : null;
    writeTiny('throw new RangeError("bad range");');
    const res = report();
    expect(res.code).toBe(1);
    // the message says where and why, as `esmlab notebooks` does
    expect(res.err).toBe(
      `esmlab: 1 of 1 notebooks failed, no report written: ${notebook} at cell 3 (id tiny-2): RangeError: bad range\n`,
    );
    expect(readFileSync(html).equals(oldHtml)).toBe(true);
    if (oldPdf) expect(readFileSync(pdf).equals(oldPdf)).toBe(true);
    expect(existsSync(cacheFile)).toBe(false);
    // the partial notebook in the cache is never reused: the fixed notebook runs again
    writeTiny("n * 2");
    expect(report().out).toMatch(EXECUTED);
  }, 120_000);
});
