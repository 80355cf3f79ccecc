// The system packages that the PDF report needs (src/report/render-pdf.ts), and what to do when
// some are missing. This is a pure decision, so scripts/ensure.mjs only carries it out, and both
// branches (root installs with apt-get, anyone else is shown the command) can be tested without
// root or apt. It has no dependencies on purpose: ensure.mjs imports it before node_modules
// exists. Types: system-packages.d.mts.

/**
 * The files that the PDF report needs, each with the Debian package that ships it (as
 * `dpkg -S <path>` reports on Debian 12): the browser, the PDF text checker and the font that
 * the charts are measured with.
 */
export const REPORT_FILES = Object.freeze([
  Object.freeze({ path: "/usr/bin/chromium", package: "chromium" }),
  Object.freeze({ path: "/usr/bin/pdftotext", package: "poppler-utils" }),
  Object.freeze({
    path: "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    package: "fonts-liberation",
  }),
]);

/**
 * Decides what `ensure.mjs --report` does about the files in {@link REPORT_FILES}. If nothing is
 * missing, it does nothing. As root (uid 0), it runs `apt-get` with each entry of `aptArgs` in
 * turn. As any other user, or where there is no uid (`process.getuid` is undefined on Windows),
 * it prints the `sudo` command. Only the packages of the missing files are named, in sorted
 * order. `message` is the text after the `esmlab setup: ` prefix, with no final newline.
 *
 * @param {{ exists: (path: string) => boolean, uid?: number | undefined }} options `exists`
 *   tells whether a path is there (`fs.existsSync`); `uid` is the user id (`process.getuid?.()`)
 * @returns {import("./system-packages.d.mts").SystemPackagePlan}
 * @throws {TypeError} when `exists` is not a function, or `uid` is neither an integer nor
 *   undefined
 * @example
 * systemPackagePlan({ exists: (p) => p !== "/usr/bin/pdftotext", uid: 1000 });
 * // → { missing: ["/usr/bin/pdftotext"], packages: ["poppler-utils"], action: "print",
 * //     aptArgs: [["update"], ["install", "-y", "--no-install-recommends", "poppler-utils"]],
 * //     message: "/usr/bin/pdftotext missing, so the report will have no PDF; install with:\n" +
 * //       "  sudo apt-get update && sudo apt-get install -y --no-install-recommends poppler-utils" }
 */
export function systemPackagePlan({ exists, uid }) {
  if (typeof exists !== "function") {
    throw new TypeError(`invalid exists: ${typeof exists} (expected a function (path) => boolean)`);
  }
  if (uid !== undefined && !Number.isInteger(uid)) {
    throw new TypeError(`invalid uid: ${String(uid)} (expected an integer or undefined)`);
  }
  const absent = REPORT_FILES.filter((file) => !exists(file.path));
  if (absent.length === 0) {
    return { missing: [], packages: [], action: "none", aptArgs: [], message: "" };
  }
  const missing = absent.map((file) => file.path);
  const packages = [...new Set(absent.map((file) => file.package))].sort();
  const aptArgs = [["update"], ["install", "-y", "--no-install-recommends", ...packages]];
  if (uid === 0) {
    const message = `${missing.join(", ")} missing: installing ${packages.join(" ")} (apt-get)`;
    return { missing, packages, action: "install", aptArgs, message };
  }
  const command = aptArgs.map((args) => `sudo apt-get ${args.join(" ")}`).join(" && ");
  const message =
    `${missing.join(", ")} missing, so the report will have no PDF; install with:\n` +
    `  ${command}`;
  return { missing, packages, action: "print", aptArgs, message };
}
