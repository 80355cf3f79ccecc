// The system packages that the PDF report and the test suite need, and what to do when some
// are missing. This is a pure decision, so scripts/ensure.mjs only carries it out, and every
// branch (root installs with apt-get, anyone else is shown the command) can be tested without
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
 * The files of Jupyter itself that the tests run esmlab's notebooks with (the classic notebook
 * server, nbformat, nbclient and nbconvert of Debian's /usr/bin/python3), each with its Debian
 * package. Python modules are found under /usr/lib/python3/dist-packages, which does not depend
 * on the Python version.
 */
export const JUPYTER_FILES = Object.freeze([
  Object.freeze({ path: "/usr/bin/jupyter-notebook", package: "jupyter-notebook" }),
  Object.freeze({ path: "/usr/bin/jupyter-nbconvert", package: "jupyter-nbconvert" }),
  Object.freeze({
    path: "/usr/lib/python3/dist-packages/nbformat/__init__.py",
    package: "python3-nbformat",
  }),
  Object.freeze({
    path: "/usr/lib/python3/dist-packages/nbclient/__init__.py",
    package: "python3-nbclient",
  }),
]);

/** The files that `npm test` needs: the report's and Jupyter's. */
export const TEST_FILES = Object.freeze([...REPORT_FILES, ...JUPYTER_FILES]);

/**
 * The sets of files ensure.mjs can check: `report` for `npm run report` (`--report`), `test`
 * for `npm test`; `without` says what happens while the files are missing.
 */
export const PACKAGE_SETS = Object.freeze({
  report: Object.freeze({ files: REPORT_FILES, without: "the report will have no PDF" }),
  test: Object.freeze({
    files: TEST_FILES,
    without: "the tests that need them will be skipped",
  }),
});

/**
 * Decides what ensure.mjs does about the files of one set of {@link PACKAGE_SETS}. If nothing is
 * missing, it does nothing. As root (uid 0), it runs `apt-get` with each entry of `aptArgs` in
 * turn (install only: the package lists are usually there); if one fails, with each entry of
 * `aptRetryArgs` (`update` first, for a machine whose lists are missing or stale, where apt
 * finds no such package). As any other user, or where there is no uid (`process.getuid` is
 * undefined on Windows), it prints the `sudo` command, update included. Only the packages of
 * the missing files are named, in sorted order. `message` is the text after the
 * `esmlab setup: ` prefix, with no final newline.
 *
 * @param {{ exists: (path: string) => boolean, uid?: number | undefined,
 *   set?: "report" | "test" }} options `exists` tells whether a path is there
 *   (`fs.existsSync`); `uid` is the user id (`process.getuid?.()`); `set` names the files to
 *   check (default "report")
 * @returns {import("./system-packages.d.mts").SystemPackagePlan}
 * @throws {TypeError} when `exists` is not a function, `uid` is neither an integer nor
 *   undefined, or `set` is not a key of PACKAGE_SETS
 * @example
 * systemPackagePlan({ exists: (p) => p !== "/usr/bin/pdftotext", uid: 1000 });
 * // → { missing: ["/usr/bin/pdftotext"], packages: ["poppler-utils"], action: "print",
 * //     aptArgs: [["install", "-y", "--no-install-recommends", "poppler-utils"]],
 * //     aptRetryArgs: [["update"], ["install", "-y", "--no-install-recommends", "poppler-utils"]],
 * //     message: "/usr/bin/pdftotext missing, so the report will have no PDF; install with:\n" +
 * //       "  sudo apt-get update && sudo apt-get install -y --no-install-recommends poppler-utils" }
 */
export function systemPackagePlan({ exists, uid, set = "report" }) {
  if (typeof exists !== "function") {
    throw new TypeError(`invalid exists: ${typeof exists} (expected a function (path) => boolean)`);
  }
  if (uid !== undefined && !Number.isInteger(uid)) {
    throw new TypeError(`invalid uid: ${String(uid)} (expected an integer or undefined)`);
  }
  if (!Object.hasOwn(PACKAGE_SETS, set)) {
    throw new TypeError(
      `invalid set: ${String(set)} (expected ${Object.keys(PACKAGE_SETS).join(" or ")})`,
    );
  }
  const { files, without } = PACKAGE_SETS[set];
  const absent = files.filter((file) => !exists(file.path));
  if (absent.length === 0) {
    return {
      missing: [],
      packages: [],
      action: "none",
      aptArgs: [],
      aptRetryArgs: [],
      message: "",
    };
  }
  const missing = absent.map((file) => file.path);
  const packages = [...new Set(absent.map((file) => file.package))].sort();
  const install = ["install", "-y", "--no-install-recommends", ...packages];
  const aptArgs = [install];
  const aptRetryArgs = [["update"], install];
  if (uid === 0) {
    const message = `${missing.join(", ")} missing: installing ${packages.join(" ")} (apt-get)`;
    return { missing, packages, action: "install", aptArgs, aptRetryArgs, message };
  }
  const command = aptRetryArgs.map((args) => `sudo apt-get ${args.join(" ")}`).join(" && ");
  const message = `${missing.join(", ")} missing, so ${without}; install with:\n  ${command}`;
  return { missing, packages, action: "print", aptArgs, aptRetryArgs, message };
}
