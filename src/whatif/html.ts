/**
 * The parts of the what-if panel that change with every answer, as HTML: built the same way
 * for the page's first state (Node, report/whatif-html.ts) and for every later one (the
 * browser, panel.ts). Every value is escaped.
 */
import { escapeHtml } from "../util/html.js";
import type { WhatIfOutcome } from "./engine.js";
import { outcomeFigures } from "./figures.js";

/** The headline figures as `<dt>`/`<dd>` pairs. */
export function figuresHtml(outcome: WhatIfOutcome): string {
  return outcomeFigures(outcome)
    .map((f) => `<dt>${escapeHtml(f.name)}</dt><dd>${escapeHtml(f.value)}</dd>`)
    .join("");
}

/**
 * The scaler's numeric parameters under "advanced", each with its basis; `advanced` holds the
 * ones the reader set.
 */
export function advancedHtml(outcome: WhatIfOutcome, advanced: Record<string, number>): string {
  const rows: string[] = [];
  for (const [path, p] of Object.entries(outcome.parameters)) {
    if (!path.startsWith("scaler.") || typeof p.value !== "number") continue;
    const field = path.slice("scaler.".length);
    const value = advanced[field] ?? p.value;
    rows.push(
      `<label class="whatif-param is-${escapeHtml(p.basis)}">${escapeHtml(field)} <small>(${escapeHtml(p.basis)})</small> <input type="number" step="any" data-advanced="${escapeHtml(field)}" value="${escapeHtml(String(value))}"></label>`,
    );
  }
  return rows.join("");
}
