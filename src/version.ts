/** esmlab's own version and the git commit of the checkout it runs from. */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The package root (holds package.json), from src/ or dist/src/. */
export const PACKAGE_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

function findRoot(dir: string): string {
  let cur = dir;
  while (!existsSync(join(cur, "package.json"))) {
    const up = dirname(cur);
    if (up === cur) return dir;
    cur = up;
  }
  return cur;
}

/** The version in package.json. */
export const ESMLAB_VERSION: string = (
  JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string }
).version;

let commit: string | null | undefined;

/** HEAD of the esmlab checkout, or null outside a git checkout. Cached. */
export function gitCommit(): string | null {
  if (commit !== undefined) return commit;
  commit = null;
  if (existsSync(join(PACKAGE_ROOT, ".git"))) {
    const res = spawnSync("git", ["rev-parse", "HEAD"], { cwd: PACKAGE_ROOT, encoding: "utf8" });
    if (res.status === 0) commit = res.stdout.trim();
  }
  return commit;
}

/**
 * The fingerprint of the built code: the hash scripts/ensure.mjs writes to
 * `dist/.esmlab-build-stamp` over every source file it compiled, or null when there is none
 * (an installed package). Finer than the version, so a checkout whose code changed without a
 * version bump is told apart (the report's notebook cache keys on it).
 */
export function buildFingerprint(): string | null {
  const stamp = join(PACKAGE_ROOT, "dist", ".esmlab-build-stamp");
  return existsSync(stamp) ? readFileSync(stamp, "utf8").trim() : null;
}
