/**
 * Server-side rendering of a Vega-Lite spec to SVG text, the same bytes for the same spec.
 *
 * ```
 * spec ─▶ vega-lite compile ─▶ vega parse ─▶ View (renderer "none") ─▶ toSVG ─▶ prefix ids
 *                    text widths: Liberation Sans advance widths (text-width.ts)
 * ```
 *
 * vega and vega-lite are ESM with top-level await, which `require()` (tslab's CommonJS cells
 * load our built code that way) cannot load; they are imported with `await import()` on the
 * first render, so importing esmlab itself stays synchronous. Renders run one at a time: vega
 * numbers clip paths and gradients with process-wide counters, reset before each render.
 */
import type { TopLevelSpec } from "vega-lite";
import { hashIdPrefix, prefixSvgIds } from "./svg-ids.js";
import { type TextItem, vegaTextWidth } from "./text-width.js";

export interface RenderOptions {
  /**
   * Prefix for every id in the SVG (clip paths, gradients) and the references to them, so
   * several charts can share a page; default "c" + 8 hex digits of the spec's SHA-256 + "-".
   */
  readonly idPrefix?: string;
  /** Scale factor of the SVG's width/height (vega `toSVG(scaleFactor)`); default 1. */
  readonly scale?: number;
}

/** The parts of the vega module used here (`textMetrics` is missing from vega's typings). */
interface VegaModule {
  readonly parse: typeof import("vega").parse;
  readonly View: typeof import("vega").View;
  readonly resetSVGDefIds: () => void;
  readonly textMetrics: {
    width: (item: TextItem, text: unknown) => number;
    estimateWidth: (item: TextItem, text: unknown) => number;
  };
}

interface Engines {
  readonly vega: VegaModule;
  readonly compile: typeof import("vega-lite").compile;
}

let engines: Promise<Engines> | undefined;
let queue: Promise<unknown> = Promise.resolve();

/** Load vega and vega-lite once and install the Liberation Sans text metrics. */
function loadEngines(): Promise<Engines> {
  engines ??= (async () => {
    const vega = (await import("vega")) as unknown as VegaModule;
    const vl = await import("vega-lite");
    // Both entries: `width` is what vega calls, `estimateWidth` what it falls back to when a
    // caller resets the metrics with `useCanvas(false)`.
    vega.textMetrics.width = vegaTextWidth;
    vega.textMetrics.estimateWidth = vegaTextWidth;
    return { vega, compile: vl.compile };
  })();
  return engines;
}

/**
 * Render a Vega-Lite spec to an SVG document (text starting with `<svg`), headless.
 * Text is laid out with Liberation Sans metrics (install `fonts-liberation` where the SVG is
 * viewed or printed, or Arial, which has the same widths).
 * @param spec a Vega-Lite spec, e.g. from {@link concurrencyChart}; inline data only (no loader
 *   is configured to fetch URLs)
 * @param options id prefix and scale factor
 * @throws Error wrapping vega-lite's or vega's error, with the chart title as context
 * @example await renderSvg(concurrencyChart(run)) // '<svg xmlns="http://www.w3.org/2000/svg" …'
 */
export function renderSvg(spec: TopLevelSpec, options: RenderOptions = {}): Promise<string> {
  const prefix = options.idPrefix ?? hashIdPrefix(spec);
  const render = async (): Promise<string> => {
    const { vega, compile } = await loadEngines();
    try {
      const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
      vega.resetSVGDefIds();
      const svg = await view.toSVG(options.scale ?? 1);
      view.finalize();
      return prefixSvgIds(svg, prefix);
    } catch (err) {
      throw new Error(`cannot render chart ${titleOf(spec)}: ${(err as Error).message}`, {
        cause: err,
      });
    }
  };
  // one at a time (see the module comment); a failed render does not block the next
  const result = queue.then(render, render);
  queue = result.catch(() => undefined);
  return result;
}

function titleOf(spec: TopLevelSpec): string {
  const title = spec.title;
  const text = typeof title === "object" && title !== null && "text" in title ? title.text : title;
  return JSON.stringify(text ?? "(untitled)");
}
