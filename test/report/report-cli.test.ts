import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeNotebook } from "../../src/notebooks/nbformat.js";
import { DEFAULT_CHROMIUM } from "../../src/report/render-pdf.js";
import { runReportCommand, sampleNotebooks } from "./report-fixtures.js";

/** A cache folder of executed notebooks, as `esmlab notebooks` writes them. */
async function cacheFolder(): Promise<{ dir: string; paths: string[] }> {
  const dir = await mkdtemp(join(tmpdir(), "esmlab-report-"));
  await mkdir(join(dir, "cache"));
  const paths: string[] = [];
  for (const { name, notebook } of sampleNotebooks()) {
    await writeNotebook(join(dir, "cache", name), notebook);
    paths.push(join("notebooks", name));
  }
  return { dir, paths };
}

describe("esmlab report --no-execute", () => {
  it("writes the HTML, and no PDF when chromium is missing, naming the apt command", async () => {
    const { dir, paths } = await cacheFolder();
    const common = ["--no-execute", "--cache", join(dir, "cache"), "--out-dir", join(dir, "out")];
    await expect(
      runReportCommand([...paths, ...common, "--chromium", "/nonexistent/chromium"]),
    ).rejects.toThrow(
      /^wrote .*esmlab-report\.html but no PDF: chromium not found at \/nonexistent\/chromium: install it with: apt-get install -y --no-install-recommends chromium fonts-liberation poppler-utils$/,
    );
    const html = await readFile(join(dir, "out", "esmlab-report.html"), "utf8");
    expect(html).toContain("Figure 3.");
    // atomic writes leave no temporary files behind
    // .esmlab-output.json: the record of files esmlab wrote (src/util/output-guard.ts)
    expect((await readdir(join(dir, "out"))).sort()).toEqual([
      ".esmlab-output.json",
      "esmlab-report.html",
      "esmlab-report.provenance.json",
    ]);
  });

  it("--strict refuses a report with an unresolved cross-reference and writes nothing", async () => {
    const { dir, paths } = await cacheFolder();
    const name = paths[0]!.split("/").pop()!;
    const notebook = sampleNotebooks()[0]!.notebook;
    notebook.cells.push({ cell_type: "markdown", source: "See @fig-nowhere.", metadata: {} });
    await writeNotebook(join(dir, "cache", name), notebook);
    const common = ["--no-execute", "--cache", join(dir, "cache"), "--out-dir", join(dir, "out")];
    await expect(runReportCommand([...paths, ...common, "--no-pdf", "--strict"])).rejects.toThrow(
      `--strict: 1 warning (first: ${name}: @fig-nowhere refers to no labelled figure or table); no report written`,
    );
    expect(existsSync(join(dir, "out", "esmlab-report.html"))).toBe(false);
    // without --strict the report is written, the reference marked in it
    await runReportCommand([...paths, ...common, "--no-pdf"]);
    const html = await readFile(join(dir, "out", "esmlab-report.html"), "utf8");
    expect(html).toContain('<span class="xref unresolved">@fig-nowhere?</span>');
  });

  it.skipIf(!existsSync(DEFAULT_CHROMIUM))("writes both files with a custom title", async () => {
    const { dir, paths } = await cacheFolder();
    await runReportCommand([
      ...paths,
      "--no-execute",
      "--cache",
      join(dir, "cache"),
      "--out-dir",
      join(dir, "out"),
      "--name",
      "r",
      "--title",
      "My <title>",
    ]);
    expect((await readdir(join(dir, "out"))).sort()).toEqual([
      ".esmlab-output.json",
      "r.html",
      "r.pdf",
      "r.provenance.json",
    ]);
    const html = await readFile(join(dir, "out", "r.html"), "utf8");
    expect(html).toContain("<title>My &lt;title&gt;</title>");
    expect(html).toMatch(/; chromium Chromium \d+/);
  });
});
