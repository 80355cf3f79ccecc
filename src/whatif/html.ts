/**
 * The parts of the what-if panel that change with every answer, as HTML: built the same way
 * for the page's first state (Node, report/whatif-html.ts) and for every later one (the
 * browser, panel.ts). Every value is escaped.
 */
import { escapeHtml } from "../util/html.js";
import type { WhatIfOutcome } from "./engine.js";
import { outcomeFigures } from "./figures.js";
import { ADVANCED_CHOICES, type AdvancedValue } from "./form.js";

/** The headline figures as `<dt>`/`<dd>` pairs. */
export function figuresHtml(outcome: WhatIfOutcome): string {
  return outcomeFigures(outcome)
    .map((f) => `<dt>${escapeHtml(f.name)}</dt><dd>${escapeHtml(f.value)}</dd>`)
    .join("");
}

/**
 * The scaler's parameters under "advanced", each with its basis: numbers as number fields,
 * words as choices ({@link ADVANCED_CHOICES}); other values (the "partitions" of a maximum
 * that follows the topic) as text. `advanced` holds the ones the reader set.
 */
export function advancedHtml(
  outcome: WhatIfOutcome,
  advanced: Record<string, AdvancedValue>,
): string {
  const rows: string[] = [];
  for (const [path, p] of Object.entries(outcome.parameters)) {
    if (!path.startsWith("scaler.") || path === "scaler.policy") continue;
    const field = path.slice("scaler.".length);
    const value = advanced[field] ?? p.value;
    const choices = (ADVANCED_CHOICES as Record<string, readonly AdvancedValue[]>)[field];
    const attr = `data-advanced="${escapeHtml(field)}"`;
    let control: string;
    if (choices !== undefined)
      control = `<select ${attr}>${choices
        .map(
          (c) =>
            `<option value="${escapeHtml(String(c))}"${c === value ? " selected" : ""}>${escapeHtml(String(c))}</option>`,
        )
        .join("")}</select>`;
    else if (typeof value === "number")
      control = `<input type="number" step="any" ${attr} value="${escapeHtml(String(value))}">`;
    else
      control = `<span class="whatif-fixed">${escapeHtml(value === null ? "none" : String(value))}</span>`;
    rows.push(
      `<label class="whatif-param is-${escapeHtml(p.basis)}"><span>${escapeHtml(field)}</span> <small>${escapeHtml(p.basis)}</small> ${control}</label>`,
    );
  }
  return rows.join("");
}
