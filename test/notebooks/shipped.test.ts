/**
 * The shipped notebooks execute cleanly on the tslab kernel, their output is valid nbformat
 * (Jupyter's own v4.5 schema), charts come as SVG + Vega-Lite, and their key numbers are the
 * blog's (Hexaview, Feb 2023): case 1–3 run one invocation at a time for 900 s, 900 / 3 = 300
 * invocations in that time, then concurrency = partitions (10, 20, 100).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import AjvDraft04 from "ajv-draft-04";
import { describe, expect, it } from "vitest";
import {
  parseRunRecords,
  parseVerdictRecords,
  type VerdictRecord,
} from "../../src/display/report-data.js";
import { parseNotebook } from "../../src/notebooks/nbformat.js";
import { runNotebooks } from "../../src/notebooks/runner.js";
import { reportContent } from "../../src/report/numbering.js";
import { tempDir } from "../helpers.js";

const schema = JSON.parse(readFileSync("test/fixtures/nbformat/nbformat.v4.5.schema.json", "utf8"));
const validate = new AjvDraft04.default({ allErrors: true, strict: false }).compile(schema);
const out = tempDir("esmlab-shipped-notebooks-");
const shipped = readdirSync("notebooks")
  .filter((f) => f.endsWith(".ipynb"))
  .map((f) => join("notebooks", f));

interface Nb {
  cells: {
    id: string;
    cell_type: string;
    metadata: { tags?: string[]; jupyter?: Record<string, unknown> };
    outputs?: { output_type: string; text?: string[] | string; data?: Record<string, unknown> }[];
  }[];
}

/** The payloads of every output of one MIME type, in order. */
const dataOf = (nb: Nb, mime: string): unknown[] =>
  nb.cells
    .flatMap((c) => c.outputs ?? [])
    .flatMap((o) => (o.data?.[mime] === undefined ? [] : [o.data[mime]]));

const keyNumbers = (nb: Nb): Record<string, unknown> => {
  const cell = nb.cells.find((c) => c.id === "key-numbers")!;
  const text = cell
    .outputs!.filter((o) => o.output_type === "stream")
    .map((o) => [o.text].flat().join(""))
    .join("");
  return JSON.parse(text);
};

describe("shipped notebooks", async () => {
  const results = await runNotebooks(shipped, { outDir: out, cellTimeoutMs: 120_000 });
  const read = (name: string): Nb => JSON.parse(readFileSync(join(out, name), "utf8"));

  it("execute without error and validate against the nbformat schema", () => {
    expect(results.map((r) => [r.status, r.failure ?? null])).toEqual(
      shipped.map(() => ["ok", null]),
    );
    for (const p of shipped) {
      const nb = read(p.split("/").pop()!);
      expect(validate(nb), JSON.stringify(validate.errors)).toBe(true);
    }
  });

  it("01: reproduces the blog's first-15-minute and plateau figures", () => {
    const nb = read("01-blog-cases.ipynb");
    expect(keyNumbers(nb)).toEqual({
      maxConcurrencyFirst15Min: [1, 1, 1],
      invocationsFirst15Min: [300, 300, 300],
      plateau: [10, 20, 100],
    });
    const charts = nb.cells
      .flatMap((c) => c.outputs ?? [])
      .filter((o) => o.output_type === "display_data" && o.data?.["image/svg+xml"]);
    expect(charts.length).toBeGreaterThanOrEqual(5);
    for (const c of charts)
      expect(typeof c.data!["application/vnd.vegalite.v5+json"]).toBe("object");
  });

  it("01: its verdicts say the blog's tear-up and plateau for each case", () => {
    const data = dataOf(read("01-blog-cases.ipynb"), "application/vnd.esmlab.verdicts+json");
    const verdicts = data.flatMap((d) => {
      const v = parseVerdictRecords(d);
      if (typeof v === "string") throw new Error(v);
      return v;
    });
    expect(verdicts.map((v) => v.line.split("; ").slice(0, 2).join("; "))).toEqual([
      "case1: tear-up 15 min at 1 invocation; plateau 10 = partitions",
      "case2: tear-up 15 min at 1 invocation; plateau 20 = partitions",
      "case3: tear-up 15 min at 1 invocation; plateau 100 = partitions",
    ]);
  });

  it("every notebook records its runs, and every cross-reference in them resolves", () => {
    const runCounts = shipped.map((p) => {
      const nb = read(p.split("/").pop()!);
      return dataOf(nb, "application/vnd.esmlab.runs+json").flatMap((d) => {
        const runs = parseRunRecords(d);
        if (typeof runs === "string") throw new Error(runs);
        return runs;
      }).length;
    });
    // 01: three cases; 02: measured, preset, calibrated; 03: five policies; 04: the 30-run sweep
    expect(runCounts).toEqual([3, 3, 5, 30]);
    const notebooks = shipped.map((p) => {
      const name = p.split("/").pop()!;
      return { name, notebook: parseNotebook(readFileSync(join(out, name), "utf8"), name) };
    });
    const content = reportContent(notebooks);
    expect(content.warnings).toEqual([]);
    expect(content.labels.size).toBeGreaterThanOrEqual(15);
  });

  it("hide their test-only cells from readers: tagged remove-cell, collapsed, not in the report", () => {
    for (const p of shipped) {
      const nb = read(p.split("/").pop()!);
      const cell = nb.cells.find((c) => c.id === "key-numbers")!;
      expect(cell.metadata.tags).toContain("remove-cell");
      expect(cell.metadata.jupyter).toEqual({ source_hidden: true, outputs_hidden: true });
    }
    const name = "01-blog-cases.ipynb";
    const notebook = parseNotebook(readFileSync(join(out, name), "utf8"), name);
    const blocks = JSON.stringify(reportContent([{ name, notebook }], { showCode: true }));
    expect(blocks).toContain("// parameters");
    expect(blocks).not.toContain("checked by the test suite");
  });

  it("01: shows the blog's conclusions and the assumed parameters in the notebook, not twice in the report", () => {
    const name = "01-blog-cases.ipynb";
    const nb = read(name);
    const captions = ["conclusions: simulated (blog)", "Assumed parameters"];
    const tables = dataOf(nb, "text/html").join("\n");
    for (const c of captions) expect(tables).toContain(c);
    // the report has them in its own form: the summary's table, the appendix
    const notebook = parseNotebook(readFileSync(join(out, name), "utf8"), name);
    const blocks = JSON.stringify(reportContent([{ name, notebook }]));
    for (const c of captions) expect(blocks).not.toContain(c);
    expect(blocks).toContain("tear-up"); // the rest of the notebook is there
  });

  it("write table numbers as the shared formatter does: no float artefacts, a true minus", () => {
    const numbers = shipped.flatMap((p) =>
      dataOf(read(p.split("/").pop()!), "text/html").flatMap((html) =>
        [
          ...[html]
            .flat()
            .join("")
            .matchAll(/<td class="num">([^<]*)<\/td>/g),
        ].map((m) => m[1]!),
      ),
    );
    expect(numbers.length).toBeGreaterThan(100);
    // a sign (U+2212, or + on a difference) or a ratio's ×; grouped digits; up to 3 decimals, or
    // 3 significant digits below 1 (0.0152); a percent sign or a duration's unit after a
    // no-break space; or the en dash of a missing value
    const written =
      /^(?:[\u2212+×]?(?:0\.\d{1,5}|\d{1,3}(?:,\d{3})*(?:\.\d{1,3})?)(?:%|\u00a0(?:s|min|h))?|–)$/;
    for (const n of numbers) expect(n).toMatch(written);
  });

  it("label each run by what sets it apart, so no two runs of a notebook read the same", () => {
    for (const p of shipped) {
      const labels = dataOf(read(p.split("/").pop()!), "application/vnd.esmlab.runs+json")
        .flatMap((d) => parseRunRecords(d) as { label: string }[])
        .map((r) => r.label);
      expect(new Set(labels).size, p).toBe(labels.length);
    }
  });

  it("02, 03: judge against the blog only the run it measured (a seed case under legacy-15min)", () => {
    const verdicts = (name: string) =>
      dataOf(read(name), "application/vnd.esmlab.verdicts+json").flatMap(
        (d) => parseVerdictRecords(d) as VerdictRecord[],
      );
    expect(verdicts("02-live-vs-simulated.ipynb")).toEqual([]);
    // 03 shows every policy's verdict (the summary's findings compare them); only the blog's
    // era is compared with the blog's figures
    const v03 = verdicts("03-scaling-policies.ipynb");
    expect(v03.map((v) => v.facts?.policy)).toEqual([
      "legacy-15min",
      "on-demand-2022",
      "on-demand-current",
      "provisioned",
      "keda",
    ]);
    expect(v03.filter((v) => v.conclusions.length > 0).map((v) => v.facts?.policy)).toEqual([
      "legacy-15min",
    ]);
    expect(v03.filter((v) => v.blog.compared > 0)).toHaveLength(1);
    for (const name of ["02-live-vs-simulated.ipynb", "03-scaling-policies.ipynb"]) {
      const tables = dataOf(read(name), "text/html").map((h) => [h].flat().join(""));
      expect(
        tables.some((t) => t.includes("blog&#39;s conclusion")),
        name,
      ).toBe(false);
    }
  });

  it("02: calibration fits the (synthetic, and labelled so) example export exactly", () => {
    const k = keyNumbers(read("02-live-vs-simulated.ipynb")) as {
      rmseBefore: number;
      rmseAfter: number;
      synthetic: boolean;
    };
    expect(k.synthetic).toBe(true);
    expect(k.rmseBefore).toBeGreaterThan(1);
    expect(k.rmseAfter).toBe(0);
  });

  it("03: every policy drains, and the legacy scaler builds the deepest backlog", () => {
    const k = keyNumbers(read("03-scaling-policies.ipynb")) as {
      policies: string[];
      peakLag: number[];
      drained: boolean[];
    };
    expect(k.drained.every(Boolean)).toBe(true);
    const legacy = k.peakLag[k.policies.indexOf("legacy-15min")]!;
    expect(Math.max(...k.peakLag)).toBe(legacy);
  });

  it("04: sizes partitions, with the legacy scaler never leaving one poller on a pure backlog", () => {
    const k = keyNumbers(read("04-capacity-planning.ipynb")) as {
      sims: number;
      answer: [string, number, number | string][];
    };
    expect(k.sims).toBe(30);
    for (const [policy, , smallest] of k.answer) {
      if (policy === "legacy-15min") expect(String(smallest)).toMatch(/^none/);
      else expect(typeof smallest).toBe("number");
    }
  });
});
