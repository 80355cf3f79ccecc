/**
 * The what-if panel's headline figures as text, shared by the page's first state (rendered in
 * Node) and every later one (in the browser), so both read alike.
 */
import { formatDuration, formatNumber } from "../util/format.js";
import type { WhatIfOutcome } from "./engine.js";

/** A figure's name and its value in words. */
export interface FigureText {
  readonly name: string;
  readonly value: string;
}

/**
 * Drain time after production, p99 latency and, in provisioned mode, the EPU cost.
 * @example outcomeFigures(outcome)[0] // → { name: "Backlog gone", value: "354 s after production ended" }
 */
export function outcomeFigures(outcome: WhatIfOutcome): FigureText[] {
  const figures: FigureText[] = [
    {
      name: "Backlog gone",
      value:
        outcome.drainedAfterSec === null
          ? "not within the run"
          : `${formatDuration(outcome.drainedAfterSec)} after production ended`,
    },
    {
      name: "Record latency p99",
      value: outcome.p99Sec === null ? "not known" : formatDuration(outcome.p99Sec),
    },
  ];
  if (outcome.epu !== null)
    figures.push({
      name: "EPU cost",
      value: `${formatNumber(outcome.epu.epuHours, "ratio")} EPU-hours ≈ $${formatNumber(outcome.epu.usd, "ratio")}`,
    });
  return figures;
}

/**
 * The assumed scaler parameters, as the panel lists them.
 * @example assumedNote(outcome) // → "Assumed by esmlab (undocumented by AWS): scaler.actuationDelaySec, …"
 */
export function assumedNote(outcome: WhatIfOutcome): string {
  const scaler = outcome.assumed.filter((p) => p.startsWith("scaler."));
  return scaler.length === 0
    ? "Every scaler parameter of this policy is documented."
    : `Assumed by esmlab, undocumented by AWS (change them under “advanced”): ${scaler.join(", ")}.`;
}
