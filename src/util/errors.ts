/**
 * Errors meant for the person running esmlab: bad input, a missing file, a refused export.
 * The CLI prints `message` as one line and exits non-zero; anything that is not an
 * `EsmlabError` is a bug and keeps its stack trace.
 *
 * Messages follow one shape: lowercase, no final period, the bad value and where it came from —
 * `invalid esm.batchSize: 0 (scenario case9.json): must be between 1 and 10000`.
 */
export class EsmlabError extends Error {
  override readonly name = "EsmlabError";
  /** The CLI's exit code: 1 for bad input or a failed step, 2 for a refused request (usage). */
  readonly exitCode: 1 | 2;

  /**
   * @param message one line, lowercase, naming the file and field at fault
   * @param options `cause` the lower error; `exitCode` 2 for a request refused before any work
   *   (an output folder that may not be replaced, an option out of range), else 1
   */
  constructor(message: string, options?: { cause?: unknown; exitCode?: 1 | 2 }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.exitCode = options?.exitCode ?? 1;
  }
}

/** True when `err` is a user-facing esmlab error. */
export function isEsmlabError(err: unknown): err is EsmlabError {
  return err instanceof EsmlabError;
}
