import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { REPORT_FILES, systemPackagePlan } from "../../scripts/system-packages.mjs";

const CHROMIUM = "/usr/bin/chromium";
const PDFTOTEXT = "/usr/bin/pdftotext";
const LIBERATION = "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf";
const ENSURE = fileURLToPath(new URL("../../scripts/ensure.mjs", import.meta.url));

/** An `exists` that reports every path there except `absent`. */
const allBut =
  (...absent: string[]) =>
  (path: string): boolean =>
    !absent.includes(path);

describe("systemPackagePlan", () => {
  it("does nothing when every file is there, as root or not", () => {
    for (const uid of [0, 1000, undefined]) {
      expect(systemPackagePlan({ exists: allBut(), uid })).toEqual({
        missing: [],
        packages: [],
        action: "none",
        aptArgs: [],
        message: "",
      });
    }
  });

  it("as root, installs the packages with apt-get update, then apt-get install", () => {
    const plan = systemPackagePlan({ exists: () => false, uid: 0 });
    expect(plan.action).toBe("install");
    expect(plan.missing).toEqual([CHROMIUM, PDFTOTEXT, LIBERATION]);
    expect(plan.aptArgs).toEqual([
      ["update"],
      ["install", "-y", "--no-install-recommends", "chromium", "fonts-liberation", "poppler-utils"],
    ]);
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
      expect(asRoot.aptArgs).toEqual([
        ["update"],
        ["install", "-y", "--no-install-recommends", pkg],
      ]);
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

  it("rejects an exists that is not a function and a uid that is not an integer", () => {
    const exists = "yes" as unknown as (path: string) => boolean;
    expect(() => systemPackagePlan({ exists, uid: 0 })).toThrow(
      "invalid exists: string (expected a function (path) => boolean)",
    );
    const uid = "0" as unknown as number;
    expect(() => systemPackagePlan({ exists: allBut(), uid })).toThrow(
      "invalid uid: 0 (expected an integer or undefined)",
    );
  });
});

// dpkg is an independent source for which Debian package ships each file; it can only answer
// for files that are installed, so it cannot check files that are missing here.
const hasDpkg = spawnSync("dpkg", ["--version"]).status === 0;
describe.skipIf(!hasDpkg)("REPORT_FILES (checked with dpkg -S)", () => {
  it("names the Debian package that ships each installed file", (ctx) => {
    const installed = REPORT_FILES.filter((file) => existsSync(file.path));
    if (installed.length === 0) ctx.skip();
    for (const file of installed) {
      const owner = execFileSync("dpkg", ["-S", file.path], { encoding: "utf8" });
      expect(owner.trim()).toBe(`${file.package}: ${file.path}`);
    }
  });
});

// The real script, run by plain Node. Whatever this machine has, a preload makes Chromium look
// absent, the other two files present, and the user id FAKE_UID. apt-get is never run: the
// preload stands in for it, writes its arguments to stderr, and exits with FAKE_APT_STATUS. In
// case the preload ever fails to replace spawnSync, an `apt-get` script put first on PATH
// fails instead of the real one.
describe("node scripts/ensure.mjs --report", () => {
  let preload = "";
  let path = "";
  beforeAll(async () => {
    const q = (path: string) => JSON.stringify(path);
    const dir = await mkdtemp(join(tmpdir(), "esmlab-ensure-"));
    const file = join(dir, "fake-system.mjs");
    await writeFile(
      file,
      [
        'import childProcess from "node:child_process";',
        'import fs from "node:fs";',
        'import { syncBuiltinESMExports } from "node:module";',
        "const realExists = fs.existsSync;",
        `const fake = new Map([[${q(CHROMIUM)}, false], [${q(PDFTOTEXT)}, true], [${q(LIBERATION)}, true]]);`,
        "fs.existsSync = (p) => fake.get(p) ?? realExists(p);",
        "const realSpawnSync = childProcess.spawnSync;",
        "childProcess.spawnSync = (cmd, args, options) => {",
        '  if (cmd !== "apt-get") return realSpawnSync(cmd, args, options);',
        "  const frontend = options?.env?.DEBIAN_FRONTEND;",
        '  process.stderr.write("fake apt-get " + args.join(" ") + " (DEBIAN_FRONTEND=" + frontend + ")\\n");',
        "  return { status: Number(process.env.FAKE_APT_STATUS) };",
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

  /** Runs ensure.mjs --quiet --report as user `uid`, apt-get exiting with `aptStatus`. */
  function ensureReport(uid: number, aptStatus = 0) {
    const env = {
      ...process.env,
      PATH: path,
      FAKE_UID: String(uid),
      FAKE_APT_STATUS: String(aptStatus),
    };
    return spawnSync(process.execPath, ["--import", preload, ENSURE, "--quiet", "--report"], {
      encoding: "utf8",
      env,
    });
  }

  it("as uid 1000 with Chromium missing, prints the sudo command for chromium only", () => {
    const res = ensureReport(1000);
    expect(res.status).toBe(0);
    expect(res.stderr).toBe(
      "esmlab setup: /usr/bin/chromium missing, so the report will have no PDF; install with:\n" +
        "  sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium\n",
    );
  });

  it("as root with Chromium missing, runs apt-get update then install of chromium only", () => {
    const res = ensureReport(0);
    expect(res.status).toBe(0);
    expect(res.stderr).toBe(
      "esmlab setup: /usr/bin/chromium missing: installing chromium (apt-get)\n" +
        "fake apt-get update (DEBIAN_FRONTEND=noninteractive)\n" +
        "fake apt-get install -y --no-install-recommends chromium (DEBIAN_FRONTEND=noninteractive)\n",
    );
  });

  it("as root, stops after a failed apt-get update and still exits 0", () => {
    const res = ensureReport(0, 100);
    expect(res.status).toBe(0);
    expect(res.stderr).toBe(
      "esmlab setup: /usr/bin/chromium missing: installing chromium (apt-get)\n" +
        "fake apt-get update (DEBIAN_FRONTEND=noninteractive)\n" +
        "esmlab setup: apt-get failed; the report will have no PDF\n",
    );
  });
});
