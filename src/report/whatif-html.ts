/**
 * The "Try your own numbers" panel of a report: a notebook's `esmlab.showWhatIf(scenario)`
 * becomes this section. Its first state — verdict, figures, the concurrency and lag charts as
 * SVG, the lines `esmlab simulate` prints — is computed here, in Node, by the same engine the
 * browser runs (src/whatif/engine.ts), so the static HTML and the PDF show the panel's default
 * and never an empty box. In the interactive report the form is added and the page's script
 * (src/whatif/panel.ts) re-simulates on every change in a Web Worker.
 *
 * Every value is escaped here; the SVGs pass the report's SVG sanitiser.
 */
import { renderSvg } from "../charts/render.js";
import type { Json } from "../notebooks/nbformat.js";
import type { ScenarioInput } from "../scenario/input.js";
import { EsmlabError } from "../util/errors.js";
import { escapeHtml } from "../util/html.js";
import { type WhatIfOutcome, whatIf } from "../whatif/engine.js";
import { assumedNote } from "../whatif/figures.js";
import { describeValues, PANEL_POLICIES, type PanelValues, panelValues } from "../whatif/form.js";
import { advancedHtml, figuresHtml } from "../whatif/html.js";
import { scriptSafeJson } from "./interactive.js";
import { sanitizeSvg } from "./sanitize.js";

/** The panel's chart size, px: two charts side by side on an A4 page. */
export const WHATIF_CHART_SIZE = { width: 260, height: 90 } as const;

/**
 * The panel's HTML for `input`, its first state computed now.
 *
 * @param id the section's element id (unique in the page)
 * @param where the notebook and cell that asked for it, for the message of a bad scenario
 * @throws EsmlabError when the scenario is invalid or beyond the panel's work budget
 */
export async function whatIfHtml(
  id: string,
  input: ScenarioInput,
  interactive: boolean,
  where: string,
): Promise<string> {
  const answer = whatIf(input, WHATIF_CHART_SIZE);
  if (!answer.ok) throw new EsmlabError(`${where}: what-if panel: ${answer.message}`);
  const outcome = answer.outcome;
  const values = panelValues(outcome.input);
  const [concurrency, lag] = await Promise.all([
    renderSvg(outcome.charts.concurrency),
    renderSvg(outcome.charts.lag),
  ]);
  const e = escapeHtml;
  const intro = interactive
    ? "Change any figure below: the simulator re-runs in this page (nothing is sent anywhere) and redraws the charts, the verdict and the figures. The scenario JSON it builds is what <code>esmlab simulate</code> accepts."
    : "The simulator’s answer for this scenario; the interactive report (<code>esmlab report --interactive</code>) re-runs it for a reader’s own figures.";
  const state = scriptSafeJson({ input: outcome.input, values } as unknown as Json);
  return [
    `<section class="whatif" id="${e(id)}" data-whatif>`,
    `<h3 class="whatif-title">Try your own numbers</h3>`,
    `<p class="whatif-intro">${intro}</p>`,
    `<p class="whatif-inputs"><strong>Scenario:</strong> <span class="whatif-described">${e(describeValues(values))}</span></p>`,
    interactive ? formHtml(values, outcome) : "",
    `<p class="whatif-status" role="status" aria-live="polite"></p>`,
    `<p class="whatif-verdict">${e(outcome.verdict)}</p>`,
    `<dl class="whatif-figures">${figuresHtml(outcome)}</dl>`,
    `<div class="whatif-charts">`,
    `<figure class="whatif-chart" data-chart="concurrency">${sanitizeSvg(concurrency)}</figure>`,
    `<figure class="whatif-chart" data-chart="lag">${sanitizeSvg(lag)}</figure>`,
    `</div>`,
    `<pre class="whatif-lines">${e(outcome.lines.join("\n"))}</pre>`,
    `<p class="whatif-assumed">${e(assumedNote(outcome))}</p>`,
    interactive
      ? `<details class="whatif-json"><summary>Scenario JSON (for <code>esmlab simulate</code>)</summary><textarea readonly rows="10" spellcheck="false">${e(JSON.stringify(outcome.input, null, 2))}</textarea></details>`
      : "",
    interactive ? `<script type="application/json" class="whatif-state">${state}</script>` : "",
    `</section>`,
  ].join("\n");
}

function formHtml(v: PanelValues, outcome: WhatIfOutcome): string {
  // counts step by one from their least; other figures take any value from 0
  const num = (name: keyof PanelValues, label: string, count?: { min: 0 | 1 }) =>
    `<label>${label} <input type="number" name="${name}" min="${count?.min ?? 0}" step="${count === undefined ? "any" : 1}" value="${escapeHtml(String(v[name]))}"></label>`;
  const select = (name: keyof PanelValues, label: string, options: [string, string][]) =>
    `<label>${label} <select name="${name}">${options
      .map(
        ([value, text]) =>
          `<option value="${escapeHtml(value)}"${v[name] === value ? " selected" : ""}>${escapeHtml(text)}</option>`,
      )
      .join("")}</select></label>`;
  return [
    `<form class="whatif-form" novalidate>`,
    `<fieldset><legend>Workload</legend>`,
    select("shape", "Shape", [
      ["constant", "constant rate"],
      ["spike", "a spike"],
    ]),
    select("arrivals", "Arrivals", [
      ["steady", "steady"],
      ["poisson", "random (Poisson)"],
    ]),
    num("ratePerSec", "Rate (records/s)"),
    num("productionSec", "Production (s)"),
    `<span class="whatif-spike">`,
    num("spikeRatePerSec", "Spike rate (records/s)"),
    num("spikeStartSec", "Spike starts at (s)"),
    num("spikeSec", "Spike lasts (s)"),
    `</span>`,
    `</fieldset>`,
    `<fieldset><legend>Topic</legend>`,
    num("partitions", "Partitions", { min: 1 }),
    select("startingPosition", "Starting position", [
      ["LATEST", "LATEST"],
      ["TRIM_HORIZON", "TRIM_HORIZON"],
    ]),
    num("backlogRecords", "Backlog at start (records)", { min: 0 }),
    `</fieldset>`,
    `<fieldset><legend>Function and batching</legend>`,
    num("functionSec", "Function duration (s)"),
    num("batchSize", "Batch size", { min: 1 }),
    num("batchingWindowSec", "Batching window (s)"),
    `</fieldset>`,
    `<fieldset><legend>Scaler</legend>`,
    select(
      "policy",
      "Policy",
      PANEL_POLICIES.map((p) => [p, p]),
    ),
    `<details class="whatif-advanced"><summary>Advanced: the policy’s parameters</summary><div class="whatif-params">${advancedHtml(outcome, v.advanced)}</div></details>`,
    `</fieldset>`,
    `<p class="whatif-actions"><button type="button" class="whatif-copy">Copy scenario JSON</button></p>`,
    `</form>`,
  ].join("\n");
}
