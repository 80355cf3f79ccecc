/**
 * `esmlab init`: which folders it refuses (one line, exit 2, nothing written), and what a study
 * holds — checked by what reads it: the notebooks' `../data/` paths by the file system, the
 * CloudWatch queries by `esmlab import`'s own reader, the package.json by its scripts.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parseGetMetricData } from "../../src/import/get-metric-data.js";
import { measuredRun } from "../../src/import/measured-run.js";
import { initStudy, packageName, STUDY_SCRIPTS, studyFiles } from "../../src/study/scaffold.js";
import { ESMLAB_VERSION } from "../../src/version.js";
import { refusal, runCli, tempDir } from "../helpers.js";

const ROOT = resolve(import.meta.dirname, "../..");

describe("esmlab init refuses", () => {
  const dir = tempDir("esmlab-init-refuse-");

  it("a folder that is not empty, with one line and exit 2, writing nothing", () => {
    const target = join(dir, "busy");
    mkdirSync(target);
    writeFileSync(join(target, "notes.txt"), "mine\n");
    const res = runCli("init", target);
    expect(res.code).toBe(2);
    expect(res.err).toBe(
      `esmlab: refusing init ${target}: it is not empty (it holds 1 entry: notes.txt); nothing was written\n`,
    );
    expect(res.out).toBe("");
    expect(readdirSync(target)).toEqual(["notes.txt"]);
    expect(readdirSync(dir)).toEqual(["busy"]); // no temporary sibling left
  });

  it("a folder holding only a hidden file, or a file in the way", async () => {
    mkdirSync(join(dir, "hidden"));
    writeFileSync(join(dir, "hidden", ".git"), "");
    expect(await refusal(initStudy(join(dir, "hidden")))).toMatch(/project root|not empty/);
    writeFileSync(join(dir, "a-file"), "x");
    expect(await refusal(initStudy(join(dir, "a-file")))).toMatch(/it is a file, not a folder/);
  });

  it("the working directory, its ancestors and the filesystem root", async () => {
    expect(await refusal(initStudy("."))).toMatch(/it is the working directory/);
    expect(await refusal(initStudy(".."))).toMatch(/it holds the working directory/);
    expect(await refusal(initStudy("/"))).toMatch(/it is the filesystem root/);
  });
});

describe("esmlab init writes a study", () => {
  const dir = tempDir("esmlab-init-");

  it("into an absent folder or an empty one, every file at once", async () => {
    mkdirSync(join(dir, "empty"));
    const a = await initStudy(join(dir, "empty"), { esmlab: "^9.9.9" });
    const b = await initStudy(join(dir, "new", "deeper"), { esmlab: "^9.9.9" });
    expect(a.files).toEqual(b.files);
    for (const f of a.files) expect(existsSync(join(dir, "empty", f)), f).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(["empty", "new"]);
    expect(readdirSync(join(dir, "new"))).toEqual(["deeper"]);
  });

  it("with a package.json whose scripts run esmlab and whose dependency is the spec", async () => {
    const study = await initStudy(join(dir, "My Study"), { esmlab: "^9.9.9" });
    const pkg = JSON.parse(readFileSync(join(study.dir, "package.json"), "utf8"));
    expect(pkg).toMatchObject({
      name: "my-study",
      private: true,
      type: "module",
      scripts: STUDY_SCRIPTS,
      dependencies: { esmlab: "^9.9.9" },
    });
    expect(study.esmlab).toEqual({ spec: "^9.9.9", source: "option" });
  });

  it("with the package's notebooks as they are, each ../data/ path they name present", async () => {
    const files = await studyFiles({ name: "s", esmlab: "^0.1.0" });
    const shipped = readdirSync(join(ROOT, "notebooks")).filter((n) => n.endsWith(".ipynb"));
    expect(shipped.length).toBeGreaterThan(0);
    for (const name of shipped) {
      const copy = files[`notebooks/${name}`];
      expect(Buffer.from(copy!)).toEqual(readFileSync(join(ROOT, "notebooks", name)));
      for (const m of Buffer.from(copy!)
        .toString("utf8")
        .matchAll(/\.\.\/data\/([^"'`\\]+)/g)) {
        expect(Object.keys(files), `${name} reads ../data/${m[1]}`).toContain(`data/${m[1]}`);
      }
    }
    expect(Buffer.from(files["data/measured/example-case2-synthetic.gmd.json"]!)).toEqual(
      readFileSync(join(ROOT, "data/measured/example-case2-synthetic.gmd.json")),
    );
  });

  it("with READMEs: npm install and npm run report first, the synthetic example said so", async () => {
    const files = await studyFiles({ name: "s", esmlab: "^0.1.0" });
    const readme = String(files["README.md"]);
    const commands = [...readme.matchAll(/^(npm [^#\n]*?)\s*(#.*)?$/gm)].map((m) => m[1]);
    expect(commands.slice(0, 2)).toEqual(["npm install", "npm run report"]);
    expect(readme).toContain(`copied from esmlab ${ESMLAB_VERSION}`);
    const data = String(files["data/README.md"]);
    expect(data).toMatch(
      /`measured\/example-case2-synthetic\.gmd\.json`: SYNTHETIC example, not a measurement/,
    );
    expect(data).toContain("`measuredPath` in `notebooks/02-live-vs-simulated.ipynb`");
    expect(data).toContain("aws cloudwatch get-metric-data");
    expect(data).not.toMatch(/\{\{|\}\}/);
    expect(String(files["reports/README.md"])).toContain("npm run report");
    expect(String(files[".gitignore"]).split("\n")).toEqual(
      expect.arrayContaining([
        "node_modules/",
        "reports/*.html",
        "reports/*.pdf",
        "reports/notebooks/",
        ".jupyter/",
      ]),
    );
  });

  it("with CloudWatch queries whose export esmlab import reads as concurrency, invocations, lag", async () => {
    const files = await studyFiles({ name: "s", esmlab: "^0.1.0" });
    const queries = JSON.parse(String(files["data/cloudwatch-queries.json"])) as {
      Id: string;
      Label: string;
      MetricStat: { Metric: { MetricName: string }; Period: number; Stat: string };
    }[];
    expect(
      queries.map((q) => [q.MetricStat.Metric.MetricName, q.MetricStat.Stat, q.MetricStat.Period]),
    ).toEqual([
      ["ConcurrentExecutions", "Maximum", 60],
      ["Invocations", "Sum", 60],
      ["OffsetLag", "Maximum", 60],
    ]);
    // the shape `aws cloudwatch get-metric-data --output json` prints for these queries
    const exported = {
      MetricDataResults: queries.map((q, i) => ({
        Id: q.Id,
        Label: q.Label,
        Timestamps: ["2026-01-09T18:01:00+00:00", "2026-01-09T18:00:00+00:00"],
        Values: [i + 2, i + 1],
        StatusCode: "Complete",
      })),
      Messages: [],
    };
    const input = parseGetMetricData(JSON.stringify(exported), "my-run.gmd.json");
    const { run, sources } = measuredRun([input], { label: "my-run", id: "m", inputs: [] });
    expect(Object.keys(sources).sort()).toEqual(["concurrency", "invocations", "lag"]);
    expect([...run.series.columns.concurrency]).toEqual([1, 2]);
    expect([...run.series.columns.lag]).toEqual([3, 4]);
    // the README shows the very file the command reads
    expect(String(files["data/README.md"])).toContain(
      String(files["data/cloudwatch-queries.json"]).trim(),
    );
  });
});

describe("packageName", () => {
  it("makes a valid npm name of a folder name", () => {
    expect(packageName("My Study (2026)")).toBe("my-study-2026");
    expect(packageName(".hidden_study")).toBe("hidden_study");
    expect(packageName("???")).toBe("esmlab-study");
  });
});
