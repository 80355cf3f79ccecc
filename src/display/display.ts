/**
 * Showing bundles from a tslab notebook cell. tslab's public `display` sends one MIME type per
 * call; a bundle with several needs its internal writer, `require("tslab/dist/jupyter")
 * .lastWriteDisplayData` (docs/toolchain.md). Outside a kernel the plain-text part goes to stdout.
 */
import { createRequire } from "node:module";
import type { TopLevelSpec } from "vega-lite";
import {
  type Cell,
  chartBundle,
  type MimeBundle,
  type ShowChartOptions,
  type TableOptions,
  tableBundle,
} from "./bundle.js";

type Writer = (
  data: { data: unknown; metadata: unknown; transient: unknown },
  update: boolean,
) => void;

function kernelWriter(): Writer | null {
  try {
    const jupyter = createRequire(import.meta.url)("tslab/dist/jupyter") as {
      lastWriteDisplayData: Writer | null;
    };
    return jupyter.lastWriteDisplayData;
  } catch {
    return null;
  }
}

/** Send a bundle as one `display_data` output (or print its text outside a kernel). */
export function display(bundle: MimeBundle): void {
  const write = kernelWriter();
  if (write === null) {
    process.stdout.write(`${String(bundle.data["text/plain"] ?? "")}\n`);
    return;
  }
  write({ data: bundle.data, metadata: bundle.metadata, transient: {} }, false);
}

/**
 * Render a chart and show it as one output: PNG (what Jupyter's classic notebook shows while
 * the notebook is untrusted) + SVG + live Vega-Lite + a text description; see chartBundle.
 * @example await showChart(concurrencyChart(run), { label: "fig-concurrency" }) // "@fig-concurrency" in the text links to it
 */
export async function showChart(spec: TopLevelSpec, options: ShowChartOptions = {}): Promise<void> {
  display(await chartBundle(spec, options));
}

/** Show a table as HTML + text; `options.label` ("tbl-…") lets the report's text refer to it. */
export function showTable(
  header: readonly string[],
  rows: readonly (readonly Cell[])[],
  caption?: string,
  options: TableOptions = {},
): void {
  display(tableBundle(header, rows, caption, options));
}
