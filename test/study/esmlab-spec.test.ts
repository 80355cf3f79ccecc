import { mkdirSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveEsmlabSpec } from "../../src/study/esmlab-spec.js";
import { tempDir } from "../helpers.js";

/** A folder tree with a package.json at its top (so no package.json above it is consulted). */
function project(dependencies: Record<string, string> | null): { root: string; sub: string } {
  const root = tempDir("esmlab-spec-");
  const manifest = { name: "mine", version: "1.0.0", ...(dependencies ? { dependencies } : {}) };
  writeFileSync(join(root, "package.json"), JSON.stringify(manifest));
  const sub = join(root, "analysis", "deeper");
  mkdirSync(sub, { recursive: true });
  return { root, sub };
}

describe("resolveEsmlabSpec", () => {
  it("defaults to ^ the running version when the project does not depend on esmlab", async () => {
    const { sub } = project(null);
    expect(await resolveEsmlabSpec({ cwd: sub, version: "0.1.0" })).toEqual({
      spec: "^0.1.0",
      source: "version",
    });
  });

  it("defaults to ^ the running version when the project has esmlab from the registry", async () => {
    const { sub } = project({ esmlab: "^0.0.9" });
    expect(await resolveEsmlabSpec({ cwd: sub, version: "0.1.0" })).toEqual({
      spec: "^0.1.0",
      source: "version",
    });
  });

  it("takes the project's file: tarball spec, made absolute against the package.json's folder", async () => {
    // what `npm install ../pack/esmlab-0.1.0.tgz` writes
    const { root, sub } = project({ esmlab: "file:../pack/esmlab-0.1.0.tgz" });
    expect(await resolveEsmlabSpec({ cwd: sub, version: "0.1.0" })).toEqual({
      spec: `file:${join(root, "..", "pack", "esmlab-0.1.0.tgz")}`,
      source: "project",
      from: join(root, "package.json"),
    });
  });

  it("keeps an absolute file: spec, and reads devDependencies too", async () => {
    const { root } = project(null);
    writeFileSync(
      join(root, "package.json"),
      JSON.stringify({ devDependencies: { esmlab: "file:///opt/esmlab" } }),
    );
    expect((await resolveEsmlabSpec({ cwd: root, version: "0.1.0" })).spec).toBe(
      "file:/opt/esmlab",
    );
  });

  it("copies the project's git or URL spec as it is", async () => {
    const { sub } = project({ esmlab: "github:someone/esmlab#v0.1.0" });
    expect(await resolveEsmlabSpec({ cwd: sub, version: "0.1.0" })).toMatchObject({
      spec: "github:someone/esmlab#v0.1.0",
      source: "project",
    });
  });

  it("prefers --esmlab: paths become absolute file: specs, ranges and URLs stay", async () => {
    const { root, sub } = project({ esmlab: "file:esmlab-0.1.0.tgz" });
    const given = async (explicit: string) =>
      (await resolveEsmlabSpec({ explicit, cwd: sub, version: "0.1.0" })).spec;
    expect(await given("../../esmlab-0.2.0.tgz")).toBe(`file:${join(root, "esmlab-0.2.0.tgz")}`);
    expect(await given("esmlab-0.2.0.tgz")).toBe(`file:${join(sub, "esmlab-0.2.0.tgz")}`);
    expect(await given("file:../x")).toBe(`file:${join(root, "analysis", "x")}`);
    expect(await given("/abs/esmlab")).toBe("file:/abs/esmlab");
    expect(await given("~/esmlab.tgz")).toBe(`file:${join(homedir(), "esmlab.tgz")}`);
    expect(await given("^0.2.0")).toBe("^0.2.0");
    expect(await given("latest")).toBe("latest");
    expect(await given("https://example.com/esmlab-0.2.0.tgz")).toBe(
      "https://example.com/esmlab-0.2.0.tgz",
    );
    const from = await resolveEsmlabSpec({ explicit: "^0.2.0", cwd: sub, version: "0.1.0" });
    expect(from.source).toBe("option");
  });

  it("refuses an empty --esmlab, and names a package.json it cannot parse", async () => {
    const { root, sub } = project(null);
    await expect(resolveEsmlabSpec({ explicit: " ", cwd: sub, version: "0.1.0" })).rejects.toThrow(
      "invalid --esmlab: empty spec",
    );
    writeFileSync(join(root, "package.json"), "{ not json");
    await expect(resolveEsmlabSpec({ cwd: sub, version: "0.1.0" })).rejects.toThrow(
      `cannot read ${join(root, "package.json")}`,
    );
  });
});
