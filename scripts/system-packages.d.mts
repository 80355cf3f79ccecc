// Types for system-packages.mjs, which is plain JavaScript so that ensure.mjs can run it before
// node_modules exists. The tests import it through these types.

/** A file that the PDF report needs, with the Debian package that ships it. */
export interface ReportFile {
  /** absolute path, e.g. "/usr/bin/chromium" */
  readonly path: string;
  /** Debian package name, e.g. "chromium" */
  readonly package: string;
}

/**
 * The files that the PDF report needs, each with the Debian package that ships it: chromium,
 * poppler-utils (pdftotext) and fonts-liberation (Liberation Sans).
 */
export declare const REPORT_FILES: readonly ReportFile[];

/** What `ensure.mjs --report` does: nothing, install with apt-get (root), or print the command. */
export type SystemPackageAction = "none" | "install" | "print";

/** Options of {@link systemPackagePlan}. */
export interface SystemPackagePlanOptions {
  /** whether a path is there (`fs.existsSync`) */
  exists: (path: string) => boolean;
  /** the user id (`process.getuid?.()`); undefined, e.g. on Windows, counts as not root */
  uid?: number | undefined;
}

/** The result of {@link systemPackagePlan}. */
export interface SystemPackagePlan {
  /** paths from {@link REPORT_FILES} that are missing, in that order */
  missing: string[];
  /** the Debian packages of the missing paths, deduplicated and sorted */
  packages: string[];
  action: SystemPackageAction;
  /** `apt-get` argument lists to run in turn (update, then install); empty for "none" */
  aptArgs: string[][];
  /** the line(s) after "esmlab setup: ", with no final newline; empty for "none" */
  message: string;
}

/**
 * Decides what `ensure.mjs --report` does about the missing files in {@link REPORT_FILES}. If
 * nothing is missing, it does nothing. As root (uid 0), it installs the missing files' packages
 * with apt-get. As any other user, or when there is no uid, it prints the `sudo` command.
 *
 * @throws {TypeError} when `exists` is not a function, or `uid` is neither an integer nor
 *   undefined
 * @example
 * systemPackagePlan({ exists: (p) => p !== "/usr/bin/pdftotext", uid: 1000 });
 * // → { missing: ["/usr/bin/pdftotext"], packages: ["poppler-utils"], action: "print",
 * //     aptArgs: [["update"], ["install", "-y", "--no-install-recommends", "poppler-utils"]],
 * //     message: "/usr/bin/pdftotext missing, so the report will have no PDF; install with:\n" +
 * //       "  sudo apt-get update && sudo apt-get install -y --no-install-recommends poppler-utils" }
 */
export declare function systemPackagePlan(options: SystemPackagePlanOptions): SystemPackagePlan;
