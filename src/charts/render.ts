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
 * Besides the SVG, a render hands back the rows each mark drew (`renderChart`), which the
 * chart's text description is made from (chart-text.ts).
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
export async function renderSvg(spec: TopLevelSpec, options: RenderOptions = {}): Promise<string> {
  return (await renderChart(spec, options)).svg;
}

/** The rows one data mark of a rendered chart drew, after the spec's transforms. */
export interface PlottedMark {
  /** vega's mark name, e.g. "concurrency_marks" (a faceted chart has one mark per panel) */
  readonly name: string;
  /** e.g. "line", "rect", "rule" */
  readonly marktype: string;
  /** one row per drawn item (a line has one per point), as vega holds them: do not modify */
  readonly rows: readonly Readonly<Record<string, unknown>>[];
}

/** What {@link renderChart} returns: the SVG, and the data every mark drew. */
export interface RenderedChart {
  readonly svg: string;
  readonly marks: readonly PlottedMark[];
}

/**
 * {@link renderSvg}, plus the rows each data mark drew (axes, legends and titles left out), so a
 * text description can say what the picture shows (chart-text.ts) from one render.
 * @throws Error wrapping vega-lite's or vega's error, with the chart title as context
 * @example (await renderChart(lagChart(run))).marks[0].rows[0] // { t: 0, lag: 0 }
 */
export function renderChart(
  spec: TopLevelSpec,
  options: RenderOptions = {},
): Promise<RenderedChart> {
  const prefix = options.idPrefix ?? hashIdPrefix(spec);
  const render = async (): Promise<RenderedChart> => {
    const { vega, compile } = await loadEngines();
    try {
      const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
      vega.resetSVGDefIds();
      const svg = await view.toSVG(options.scale ?? 1);
      const scene = view.scenegraph() as unknown as { root: SceneNode };
      const marks = plottedMarks(scene.root);
      view.finalize();
      return { svg: prefixSvgIds(svg, prefix), marks };
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

/** The parts of vega's scenegraph read here (vega's typings do not describe it). */
interface SceneNode {
  readonly marktype?: string;
  readonly role?: string;
  readonly name?: string;
  readonly items?: readonly SceneNode[];
  readonly datum?: unknown;
}

/**
 * Every data mark under `root`: vega gives the marks a spec draws the role "mark", and its own
 * guides (axes, legends, titles) other roles; groups (facet cells, concat panels) are walked.
 */
function plottedMarks(root: SceneNode): PlottedMark[] {
  const marks: PlottedMark[] = [];
  const walk = (node: SceneNode): void => {
    const items = node.items ?? [];
    if (node.role === "mark" && node.marktype !== undefined && node.marktype !== "group") {
      const rows = items.flatMap((item) =>
        typeof item.datum === "object" && item.datum !== null
          ? [item.datum as Record<string, unknown>]
          : [],
      );
      marks.push({ name: node.name ?? "", marktype: node.marktype, rows });
      return;
    }
    for (const item of items) walk(item);
  };
  walk(root);
  return marks;
}

function titleOf(spec: TopLevelSpec): string {
  const title = spec.title;
  const text = typeof title === "object" && title !== null && "text" in title ? title.text : title;
  return JSON.stringify(text ?? "(untitled)");
}
