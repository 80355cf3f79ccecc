// Types for system-packages.mjs, which is plain JavaScript so that ensure.mjs can run it before
// node_modules exists. The tests import it through these types.

/** A file that esmlab needs from the system, with the Debian package that ships it. */
export interface SystemFile {
  /** absolute path, e.g. "/usr/bin/chromium" */
  readonly path: string;
  /** Debian package name, e.g. "chromium" */
  readonly package: string;
}

/** A file that the PDF report needs (kept as a name for {@link SystemFile}). */
export type ReportFile = SystemFile;

/**
 * The files that the PDF report needs, each with the Debian package that ships it: chromium,
 * poppler-utils (pdftotext) and fonts-liberation (Liberation Sans).
 */
export declare const REPORT_FILES: readonly SystemFile[];

/**
 * The files of Jupyter that the tests use, each with its Debian package: jupyter-notebook,
 * jupyter-nbconvert, python3-nbformat and python3-nbclient.
 */
export declare const JUPYTER_FILES: readonly SystemFile[];

/** The files that `npm test` needs: {@link REPORT_FILES} then {@link JUPYTER_FILES}. */
export declare const TEST_FILES: readonly SystemFile[];

/** The name of a set of files ensure.mjs checks: "report" (`--report`) or "test" (`npm test`). */
export type PackageSetName = "report" | "test";

/** A set of files, and what happens while some are missing ("the report will have no PDF"). */
export interface PackageSet {
  readonly files: readonly SystemFile[];
  readonly without: string;
}

/** The sets of files ensure.mjs checks, by name. */
export declare const PACKAGE_SETS: Readonly<Record<PackageSetName, PackageSet>>;

/** What ensure.mjs does: nothing, install with apt-get (root), or print the command. */
export type SystemPackageAction = "none" | "install" | "print";

/** Options of {@link systemPackagePlan}. */
export interface SystemPackagePlanOptions {
  /** whether a path is there (`fs.existsSync`) */
  exists: (path: string) => boolean;
  /** the user id (`process.getuid?.()`); undefined, e.g. on Windows, counts as not root */
  uid?: number | undefined;
  /** which files to check; default "report" */
  set?: PackageSetName;
}

/** The result of {@link systemPackagePlan}. */
export interface SystemPackagePlan {
  /** paths of the set that are missing, in the set's order */
  missing: string[];
  /** the Debian packages of the missing paths, deduplicated and sorted */
  packages: string[];
  action: SystemPackageAction;
  /** `apt-get` argument lists to run first, in turn (install only); empty for "none" */
  aptArgs: string[][];
  /** `apt-get` argument lists to run when `aptArgs` fail (update, then install); empty for "none" */
  aptRetryArgs: string[][];
  /** the line(s) after "esmlab setup: ", with no final newline; empty for "none" */
  message: string;
}

/**
 * Decides what ensure.mjs does about the missing files of one set of {@link PACKAGE_SETS}. If
 * nothing is missing, it does nothing. As root (uid 0), it installs the missing files' packages
 * with apt-get, and updates the package lists and tries again when that fails. As any other
 * user, or when there is no uid, it prints the `sudo` command.
 *
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
export declare function systemPackagePlan(options: SystemPackagePlanOptions): SystemPackagePlan;
