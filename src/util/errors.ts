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

  /** @param message one line, lowercase, naming the file and field at fault */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** True when `err` is a user-facing esmlab error. */
export function isEsmlabError(err: unknown): err is EsmlabError {
  return err instanceof EsmlabError;
}
