import { execFileSync } from "node:child_process";

/** CLI tests run the built `dist/`: make sure it is current (a no-op when nothing changed). */
export default function setup(): void {
  execFileSync(process.execPath, ["scripts/ensure.mjs", "--quiet"], { stdio: "inherit" });
}
