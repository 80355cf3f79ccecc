/**
 * The what-if panel's engine: a reader's scenario → the figures the panel shows. The same code
 * as `esmlab simulate` and `esmlab fit` (the simulator, the scaler presets, the three-phase
 * fit, the chart builders), bundled for the browser by scripts/build-browser.mjs and run there
 * in a Web Worker; in Node it is what the report prints as the panel's first state.
 *
 * ```
 * value ─▶ parseScenario (schema) ─▶ resolveScenario ─▶ simulate (work budget) ─▶ fit, verdict
 *                                                                               └▶ chart specs
 * ```
 */
import type { TopLevelSpec } from "vega-lite";
import { phaseVerdict } from "../blog/verdict.js";
import { DEFAULT_WIDTH_PX } from "../charts/chart-style.js";
import { concurrencyChart } from "../charts/concurrency-chart.js";
import { lagChart } from "../charts/run-charts.js";
import { simulate } from "../esm/simulate.js";
import { fitThreePhases } from "../fit/three-phase.js";
import { describeRun } from "../run/describe.js";
import type { ScenarioInput } from "../scenario/input.js";
import { parseScenario } from "../scenario/parse.js";
import { resolveScenario } from "../scenario/resolve.js";
import { isEsmlabError } from "../util/errors.js";

/**
 * The panel's work budget, simulator events: a tenth of the CLI's default, a few seconds of a
 * laptop's core at most. A scenario estimated beyond it is refused with the CLI's line (which
 * names the field that makes it large) before anything runs.
 */
export const WHATIF_MAX_EVENTS = 5e7;

/** Where the panel's scenarios come from, in messages. */
export const WHATIF_SOURCE = "what-if panel";

/** What the panel shows for one scenario. */
export interface WhatIfOutcome {
  /** The scenario as `esmlab simulate` accepts it (the panel's "copy scenario JSON"). */
  readonly input: ScenarioInput;
  /** The lines `esmlab simulate` prints for this run. */
  readonly lines: readonly string[];
  /** The three-phase verdict line, as `esmlab fit` and the report word it. */
  readonly verdict: string;
  /** Seconds from the end of production until the backlog was gone; null if it never was. */
  readonly drainedAfterSec: number | null;
  /** Record latency, produce → processed, 99th percentile, seconds. */
  readonly p99Sec: number | null;
  /** Provisioned mode's event-poller-unit cost; null under other policies. */
  readonly epu: { readonly epuHours: number; readonly usd: number } | null;
  /** Dotted paths of the parameters esmlab assumes (undocumented by AWS). */
  readonly assumed: readonly string[];
  /** The values the scenario resolved to, by dotted path (shown and edited under "advanced"). */
  readonly parameters: Readonly<Record<string, { value: unknown; basis: string }>>;
  readonly charts: { readonly concurrency: TopLevelSpec; readonly lag: TopLevelSpec };
  /** Wall time of the simulation, ms. */
  readonly simulateMs: number;
}

/** An outcome, or the one line that says why there is none. */
export type WhatIfAnswer =
  | { readonly ok: true; readonly outcome: WhatIfOutcome }
  | { readonly ok: false; readonly message: string };

/** Options of {@link whatIf}. */
export interface WhatIfOptions {
  /** Work budget in simulator events (default {@link WHATIF_MAX_EVENTS}). */
  readonly maxEvents?: number;
  /** Plot width of the charts, px (default the report's). */
  readonly width?: number;
  /** Plot height of the charts, px (default the report's). */
  readonly height?: number;
}

/**
 * Simulates a reader's scenario and reads it as the panel shows it. Bad input and work beyond
 * the budget are answers (`ok: false`, the CLI's message), not exceptions.
 *
 * @param value a scenario object as `esmlab simulate` reads from a file (trace workloads need
 *   inline timestamps: the browser reads no files)
 * @example whatIf(BUILTIN_SCENARIOS.case2).ok // → true
 */
export function whatIf(value: unknown, options: WhatIfOptions = {}): WhatIfAnswer {
  try {
    const input = parseScenario(value, WHATIF_SOURCE);
    const resolved = resolveScenario(input, { source: WHATIF_SOURCE });
    const started = performance.now();
    const run = simulate(resolved, { maxEvents: options.maxEvents ?? WHATIF_MAX_EVENTS });
    const simulateMs = performance.now() - started;
    const fit = fitThreePhases(run);
    const verdict = phaseVerdict(run, fit);
    const summary = run.meta.summary;
    const size = {
      ...(options.width === undefined ? {} : { width: options.width }),
      ...(options.height === undefined ? {} : { height: options.height }),
      // two points per pixel of the plot are all a reader can see, and what the browser
      // redraws on every change
      maxPoints: 2 * (options.width ?? DEFAULT_WIDTH_PX),
    };
    const parameters: Record<string, { value: unknown; basis: string }> = {};
    for (const [path, p] of Object.entries(resolved.parameters))
      parameters[path] = { value: p.value, basis: p.basis };
    return {
      ok: true,
      outcome: {
        input,
        lines: describeRun(run).split("\n"),
        verdict: verdict.line,
        drainedAfterSec: verdict.facts.drainedAfterSec,
        p99Sec: summary.latency?.p99Sec ?? null,
        epu: summary.epu ? { epuHours: summary.epu.epuHours, usd: summary.epu.usd } : null,
        assumed: resolved.assumed,
        parameters,
        charts: {
          concurrency: concurrencyChart(run, { ...size, title: "Concurrent invocations" }),
          lag: lagChart(run, { ...size, title: "Offset lag" }),
        },
        simulateMs,
      },
    };
  } catch (err) {
    if (isEsmlabError(err)) return { ok: false, message: err.message };
    throw err;
  }
}
