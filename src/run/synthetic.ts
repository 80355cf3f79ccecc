/**
 * Whether a measured run is esmlab's own synthetic example, from what its files say about
 * themselves: an example export carries a CloudWatch `Messages` entry of code
 * `esmlab.synthetic` (written by scripts/gen-example-measured.mjs), which the importer keeps in
 * the run's provenance warnings as "<file>: esmlab.synthetic: <note>". A file's name decides
 * nothing: a user's export renamed "example…" is still a measurement, and the example renamed
 * is still synthetic.
 */

/** The message code an example export says it is synthetic with. */
export const SYNTHETIC_CODE = "esmlab.synthetic";

const SYNTHETIC = /esmlab\.synthetic: (.*)$/;

/**
 * The example's own description of itself, or null when no input says it is synthetic.
 * @param warnings a run's provenance warnings (`run.meta.provenance.warnings`, or a recorded
 *   run's `warnings`)
 * @example syntheticNote(["a.json: esmlab.synthetic: SYNTHETIC example, not a measurement"]) // "SYNTHETIC example, not a measurement"
 */
export function syntheticNote(warnings: readonly string[]): string | null {
  for (const w of warnings) {
    const m = SYNTHETIC.exec(w);
    if (m !== null) return m[1]!;
  }
  return null;
}
