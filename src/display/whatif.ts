/**
 * `esmlab.showWhatIf(scenario)`: asks the report for a "Try your own numbers" panel that starts
 * from this scenario. In Jupyter the output reads as the simulator's answer (verdict and the
 * lines `esmlab simulate` prints); `esmlab report` turns it into the panel — live in the
 * interactive report, its first state in the static HTML and the PDF (report/whatif-html.ts).
 */
import type { ScenarioInput } from "../scenario/input.js";
import type { ResolvedScenario } from "../scenario/resolve.js";
import { toScenarioInput } from "../scenario/to-input.js";
import { EsmlabError } from "../util/errors.js";
import { whatIf } from "../whatif/engine.js";
import type { MimeBundle } from "./bundle.js";
import { display } from "./display.js";

/** The output's MIME type: `{ input }`, the panel's scenario as `esmlab simulate` reads it. */
export const WHATIF_MIME = "application/vnd.esmlab.whatif+json";

/**
 * The output for a what-if panel over `scenario` (a scenario object, or the `resolved` of
 * `esmlab.loadScenario`).
 *
 * @throws EsmlabError when the scenario is invalid or beyond the panel's work budget (a reader
 *   could not run it either)
 * @example whatIfBundle(BUILTIN_SCENARIOS.case2).data["application/vnd.esmlab.whatif+json"]
 * // → { input: { name: "case2", … } }
 */
export function whatIfBundle(scenario: ScenarioInput | ResolvedScenario): MimeBundle {
  const given = "scenario" in scenario ? toScenarioInput(scenario) : scenario;
  const answer = whatIf(given);
  if (!answer.ok) throw new EsmlabError(`showWhatIf: ${answer.message}`);
  const { input, verdict, lines } = answer.outcome;
  const text = [
    `Try your own numbers: ${verdict}`,
    ...lines,
    "(esmlab report --interactive lets a reader change this scenario and re-run it in the browser)",
  ].join("\n");
  const markdown = [
    "**Try your own numbers.** The simulator’s answer for this scenario; in the interactive report (`esmlab report --interactive`) a reader can change it and re-run it in the browser.",
    "",
    verdict,
    "",
    "```text",
    ...lines,
    "```",
  ].join("\n");
  return {
    data: {
      [WHATIF_MIME]: { input },
      "text/markdown": markdown,
      "text/plain": text,
    },
    metadata: {},
  };
}

/** Shows a what-if panel over `scenario` (see {@link whatIfBundle}). */
export function showWhatIf(scenario: ScenarioInput | ResolvedScenario): void {
  display(whatIfBundle(scenario));
}
