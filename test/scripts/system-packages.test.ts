import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import {
  JUPYTER_FILES,
  PACKAGE_SETS,
  REPORT_FILES,
  systemPackagePlan,
  TEST_FILES,
} from "../../scripts/system-packages.mjs";

const CHROMIUM = "/usr/bin/chromium";
const PDFTOTEXT = "/usr/bin/pdftotext";
const LIBERATION = "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf";
const NOTEBOOK = "/usr/bin/jupyter-notebook";
const NBCONVERT = "/usr/bin/jupyter-nbconvert";
const NBFORMAT = "/usr/lib/python3/dist-packages/nbformat/__init__.py";
const NBCLIENT = "/usr/lib/python3/dist-packages/nbclient/__init__.py";
const ENSURE = fileURLToPath(new URL("../../scripts/ensure.mjs", import.meta.url));
const INSTALL = ["install", "-y", "--no-install-recommends"];
const REPORT_PACKAGES = ["chromium", "fonts-liberation", "poppler-utils"];
const TEST_PACKAGES = [
  "chromium",
  "fonts-liberation",
  "jupyter-nbconvert",
  "jupyter-notebook",
  "poppler-utils",
  "python3-nbclient",
  "python3-nbformat",
];

/** An `exists` that reports every path there except `absent`. */
const allBut =
  (...absent: string[]) =>
  (path: string): boolean =>
    !absent.includes(path);

describe("systemPackagePlan", () => {
  it("does nothing when every file is there, as root or not, for either set", () => {
    for (const set of ["report", "test", undefined] as const) {
      for (const uid of [0, 1000, undefined]) {
        const options =
          set === undefined ? { exists: allBut(), uid } : { exists: allBut(), uid, set };
        expect(systemPackagePlan(options)).toEqual({
          missing: [],
          packages: [],
          action: "none",
          aptArgs: [],
          aptRetryArgs: [],
          message: "",
        });
      }
    }
  });

  it("as root, installs the packages with apt-get install, then update and install again", () => {
    const plan = systemPackagePlan({ exists: () => false, uid: 0 });
    expect(plan.action).toBe("install");
    expect(plan.missing).toEqual([CHROMIUM, PDFTOTEXT, LIBERATION]);
    expect(plan.aptArgs).toEqual([[...INSTALL, ...REPORT_PACKAGES]]);
    expect(plan.aptRetryArgs).toEqual([["update"], [...INSTALL, ...REPORT_PACKAGES]]);
    expect(plan.message).toBe(
      `${CHROMIUM}, ${PDFTOTEXT}, ${LIBERATION} missing: ` +
        "installing chromium fonts-liberation poppler-utils (apt-get)",
    );
  });

  it.each([
    ["uid 1000", 1000],
    ["no uid (no process.getuid)", undefined],
  ])("as %s, prints the sudo command and names the missing files", (_, uid) => {
    const plan = systemPackagePlan({ exists: () => false, uid });
    expect(plan.action).toBe("print");
    expect(plan.message).toBe(
      `${CHROMIUM}, ${PDFTOTEXT}, ${LIBERATION} missing, so the report will have no PDF; ` +
        "install with:\n" +
        "  sudo apt-get update && sudo apt-get install -y --no-install-recommends " +
        "chromium fonts-liberation poppler-utils",
    );
  });

  it("installs or names only the package of the one missing file", () => {
    const cases = [
      [CHROMIUM, "chromium"],
      [PDFTOTEXT, "poppler-utils"],
      [LIBERATION, "fonts-liberation"],
    ] as const;
    for (const [path, pkg] of cases) {
      const asRoot = systemPackagePlan({ exists: allBut(path), uid: 0 });
      expect(asRoot).toMatchObject({ missing: [path], packages: [pkg], action: "install" });
      expect(asRoot.aptArgs).toEqual([[...INSTALL, pkg]]);
      expect(asRoot.aptRetryArgs).toEqual([["update"], [...INSTALL, pkg]]);
      expect(asRoot.message).toBe(`${path} missing: installing ${pkg} (apt-get)`);

      const asUser = systemPackagePlan({ exists: allBut(path), uid: 1000 });
      expect(asUser).toMatchObject({ missing: [path], packages: [pkg], action: "print" });
      expect(asUser.message).toBe(
        `${path} missing, so the report will have no PDF; install with:\n` +
          `  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${pkg}`,
      );
    }
  });

  it("lists two missing files' packages sorted, without the third", () => {
    const plan = systemPackagePlan({ exists: allBut(PDFTOTEXT, CHROMIUM), uid: 1000 });
    expect(plan.missing).toEqual([CHROMIUM, PDFTOTEXT]);
    expect(plan.packages).toEqual(["chromium", "poppler-utils"]);
  });

  it("the report set ignores missing Jupyter files", () => {
    const exists = allBut(NOTEBOOK, NBCONVERT, NBFORMAT, NBCLIENT);
    expect(systemPackagePlan({ exists, uid: 0, set: "report" }).action).toBe("none");
    expect(systemPackagePlan({ exists, uid: 0 }).action).toBe("none");
  });

  it("the test set, as root, installs the report's and Jupyter's packages in one apt-get call", () => {
    const plan = systemPackagePlan({ exists: () => false, uid: 0, set: "test" });
    expect(plan.action).toBe("install");
    expect(plan.missing).toEqual([
      CHROMIUM,
      PDFTOTEXT,
      LIBERATION,
      NOTEBOOK,
      NBCONVERT,
      NBFORMAT,
      NBCLIENT,
    ]);
    expect(plan.packages).toEqual(TEST_PACKAGES);
    expect(plan.aptArgs).toEqual([[...INSTALL, ...TEST_PACKAGES]]);
    expect(plan.aptRetryArgs).toEqual([["update"], [...INSTALL, ...TEST_PACKAGES]]);
  });

  it("the test set, as uid 1000 with nbclient missing, says the tests skip and names python3-nbclient", () => {
    const plan = systemPackagePlan({ exists: allBut(NBCLIENT), uid: 1000, set: "test" });
    expect(plan).toMatchObject({ missing: [NBCLIENT], packages: ["python3-nbclient"] });
    expect(plan.message).toBe(
      `${NBCLIENT} missing, so the tests that need them will be skipped; install with:\n` +
        "  sudo apt-get update && sudo apt-get install -y --no-install-recommends python3-nbclient",
    );
  });

  it("the test set holds every report file, then the Jupyter files", () => {
    expect(TEST_FILES).toEqual([...REPORT_FILES, ...JUPYTER_FILES]);
    expect(PACKAGE_SETS.report.files).toBe(REPORT_FILES);
    expect(PACKAGE_SETS.test.files).toBe(TEST_FILES);
    expect(JUPYTER_FILES.map((f) => f.path)).toEqual([NOTEBOOK, NBCONVERT, NBFORMAT, NBCLIENT]);
  });

  it("rejects an exists that is not a function, a uid that is not an integer, an unknown set", () => {
    const exists = "yes" as unknown as (path: string) => boolean;
    expect(() => systemPackagePlan({ exists, uid: 0 })).toThrow(
      "invalid exists: string (expected a function (path) => boolean)",
    );
    const uid = "0" as unknown as number;
    expect(() => systemPackagePlan({ exists: allBut(), uid })).toThrow(
      "invalid uid: 0 (expected an integer or undefined)",
    );
    const set = "pdf" as unknown as "report";
    expect(() => systemPackagePlan({ exists: allBut(), uid: 0, set })).toThrow(
      "invalid set: pdf (expected report or test)",
    );
    const inherited = "toString" as unknown as "report";
    expect(() => systemPackagePlan({ exists: allBut(), uid: 0, set: inherited })).toThrow(
      "invalid set: toString",
    );
  });
});

// dpkg is an independent source for which Debian package ships each file; it can only answer
// for files that are installed, so it cannot check files that are missing here.
const hasDpkg = spawnSync("dpkg", ["--version"]).status === 0;
describe.skipIf(!hasDpkg)("TEST_FILES (checked with dpkg -S)", () => {
  it("names the Debian package that ships each installed file", (ctx) => {
    const installed = TEST_FILES.filter((file) => existsSync(file.path));
    if (installed.length === 0) ctx.skip();
    for (const file of installed) {
      const owner = execFileSync("dpkg", ["-S", file.path], { encoding: "utf8" });
      expect(owner.trim()).toBe(`${file.package}: ${file.path}`);
    }
  });
});

// The real script, run by plain Node. Whatever this machine has, a preload makes the files named
// in FAKE_ABSENT (comma-separated) look absent, every other file of TEST_FILES present, and the
// user id FAKE_UID. apt-get is never run: the preload stands in for it, writes its arguments to
// stderr, and exits with the next of FAKE_APT_STATUSES (comma-separated; 0 once they run out).
// In case the preload ever fails to replace spawnSync, an `apt-get` script put first on PATH
// fails instead of the real one.
describe("node scripts/ensure.mjs", () => {
  let preload = "";
  let path = "";
  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), "esmlab-ensure-"));
    const file = join(dir, "fake-system.mjs");
    await writeFile(
      file,
      [
        'import childProcess from "node:child_process";',
        'import fs from "node:fs";',
        'import { syncBuiltinESMExports } from "node:module";',
        "const realExists = fs.existsSync;",
        `const known = new Set(${JSON.stringify(TEST_FILES.map((f) => f.path))});`,
        'const absent = new Set((process.env.FAKE_ABSENT ?? "").split(",").filter(Boolean));',
        "fs.existsSync = (p) => (known.has(p) ? !absent.has(p) : realExists(p));",
        'const statuses = (process.env.FAKE_APT_STATUSES ?? "").split(",").filter(Boolean);',
        "const realSpawnSync = childProcess.spawnSync;",
        "childProcess.spawnSync = (cmd, args, options) => {",
        '  if (cmd !== "apt-get") return realSpawnSync(cmd, args, options);',
        "  const frontend = options?.env?.DEBIAN_FRONTEND;",
        '  process.stderr.write("fake apt-get " + args.join(" ") + " (DEBIAN_FRONTEND=" + frontend + ")\\n");',
        "  return { status: Number(statuses.shift() ?? 0) };",
        "};",
        // named imports of node:fs / node:child_process in ensure.mjs see the fakes
        "syncBuiltinESMExports();",
        "process.getuid = () => Number(process.env.FAKE_UID);",
        "",
      ].join("\n"),
    );
    const shim = join(dir, "apt-get");
    await writeFile(shim, '#!/bin/sh\necho "apt-get shim reached" >&2\nexit 99\n', { mode: 0o755 });
    preload = pathToFileURL(file).href;
    path = `${dir}${delimiter}${process.env.PATH ?? ""}`;
    return () => rm(dir, { recursive: true, force: true });
  });

  interface EnsureRun {
    /** flags after ensure.mjs */
    flags: string[];
    uid: number;
    /** paths made to look absent */
    absent: string[];
    /** exit statuses of the fake apt-get calls, in order */
    apt?: number[];
    /** npm_lifecycle_event, as npm sets it for `npm test` / `npm run report` */
    lifecycle?: string;
  }

  /** Runs ensure.mjs on the faked system. */
  function ensure({ flags, uid, absent, apt = [], lifecycle }: EnsureRun) {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: path,
      FAKE_UID: String(uid),
      FAKE_ABSENT: absent.join(","),
      FAKE_APT_STATUSES: apt.join(","),
    };
    // this suite itself runs under `npm test`: only the case given here may see the variable
    delete env.npm_lifecycle_event;
    if (lifecycle !== undefined) env.npm_lifecycle_event = lifecycle;
    const res = spawnSync(process.execPath, ["--import", preload, ENSURE, ...flags], {
      encoding: "utf8",
      env,
    });
    // without --quiet, a stale dist/ (a source edited since the global set-up) adds this line
    const stderr = res.stderr.replace(/^esmlab setup: building dist\/ \(tsc\)\n/m, "");
    return { status: res.status, stderr };
  }

  const fake = (args: string) => `fake apt-get ${args} (DEBIAN_FRONTEND=noninteractive)\n`;

  it("--report as uid 1000 with Chromium missing, prints the sudo command for chromium only", () => {
    const res = ensure({ flags: ["--quiet", "--report"], uid: 1000, absent: [CHROMIUM] });
    expect(res.status).toBe(0);
    expect(res.stderr).toBe(
      "esmlab setup: /usr/bin/chromium missing, so the report will have no PDF; install with:\n" +
        "  sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium\n",
    );
  });

  it("--report as root with Chromium missing, runs apt-get install of chromium only", () => {
    const res = ensure({ flags: ["--quiet", "--report"], uid: 0, absent: [CHROMIUM] });
    expect(res.status).toBe(0);
    expect(res.stderr).toBe(
      "esmlab setup: /usr/bin/chromium missing: installing chromium (apt-get)\n" +
        fake("install -y --no-install-recommends chromium"),
    );
  });

  it("--report as root, when install fails (no such package), updates the lists and installs again", () => {
    const res = ensure({ flags: ["--quiet", "--report"], uid: 0, absent: [CHROMIUM], apt: [100] });
    expect(res.status).toBe(0);
    expect(res.stderr).toBe(
      "esmlab setup: /usr/bin/chromium missing: installing chromium (apt-get)\n" +
        fake("install -y --no-install-recommends chromium") +
        "esmlab setup: apt-get install failed; updating the package lists\n" +
        fake("update") +
        fake("install -y --no-install-recommends chromium"),
    );
  });

  it("--report as root, stops after a failed apt-get update and still exits 0", () => {
    const res = ensure({
      flags: ["--quiet", "--report"],
      uid: 0,
      absent: [CHROMIUM],
      apt: [100, 100],
    });
    expect(res.status).toBe(0);
    expect(res.stderr).toBe(
      "esmlab setup: /usr/bin/chromium missing: installing chromium (apt-get)\n" +
        fake("install -y --no-install-recommends chromium") +
        "esmlab setup: apt-get install failed; updating the package lists\n" +
        fake("update") +
        "esmlab setup: apt-get failed; the report will have no PDF\n",
    );
  });

  it("--report does not look at Jupyter's files", () => {
    const res = ensure({ flags: ["--quiet", "--report"], uid: 0, absent: [NBCLIENT, NOTEBOOK] });
    expect(res.status).toBe(0);
    expect(res.stderr).toBe("");
  });

  it("under `npm test` (npm_lifecycle_event=test) as root, installs Jupyter's missing packages", () => {
    const res = ensure({ flags: [], uid: 0, absent: [NBCLIENT, NOTEBOOK], lifecycle: "test" });
    expect(res.status).toBe(0);
    expect(res.stderr).toBe(
      `esmlab setup: ${NOTEBOOK}, ${NBCLIENT} missing: ` +
        "installing jupyter-notebook python3-nbclient (apt-get)\n" +
        fake("install -y --no-install-recommends jupyter-notebook python3-nbclient"),
    );
  });

  it("under `npm test` as uid 1000, prints the command and says the tests skip; exits 0", () => {
    const res = ensure({ flags: [], uid: 1000, absent: [NBFORMAT, PDFTOTEXT], lifecycle: "test" });
    expect(res.status).toBe(0);
    expect(res.stderr).toBe(
      `esmlab setup: ${PDFTOTEXT}, ${NBFORMAT} missing, so the tests that need them will be ` +
        "skipped; install with:\n" +
        "  sudo apt-get update && sudo apt-get install -y --no-install-recommends " +
        "poppler-utils python3-nbformat\n",
    );
  });

  it("with --test as root, installs the test set whatever npm runs", () => {
    const res = ensure({ flags: ["--quiet", "--test"], uid: 0, absent: [NBCONVERT, LIBERATION] });
    expect(res.status).toBe(0);
    expect(res.stderr).toBe(
      `esmlab setup: ${LIBERATION}, ${NBCONVERT} missing: ` +
        "installing fonts-liberation jupyter-nbconvert (apt-get)\n" +
        fake("install -y --no-install-recommends fonts-liberation jupyter-nbconvert"),
    );
  });

  it("the --quiet call of test/global-setup.ts inside `npm test` leaves system packages alone", () => {
    const res = ensure({ flags: ["--quiet"], uid: 0, absent: [NBCLIENT], lifecycle: "test" });
    expect(res.status).toBe(0);
    expect(res.stderr).toBe("");
  });

  it("under another npm script without --report or --test, leaves system packages alone", () => {
    const res = ensure({ flags: [], uid: 0, absent: [CHROMIUM, NBCLIENT], lifecycle: "start" });
    expect(res.status).toBe(0);
    expect(res.stderr).toBe("");
  });
});
