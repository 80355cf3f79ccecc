/**
 * The report's optional live charts: vega, vega-lite and vega-embed inlined from node_modules,
 * plus a small boot script that, once the page has loaded, draws each figure's Vega-Lite spec
 * beside its static SVG and hides the SVG. Without script (or in print) the SVG stays: the
 * static report never depends on this.
 *
 * ```
 * figure specs ─▶ JSON data block (not executed)  ┐
 * vega + vega-lite + vega-interpreter + vega-embed ─▶ one inline script ─▶ CSP sha256 hash
 * ```
 * Vega compiles expressions with `Function` by default; the expression interpreter
 * (vega-interpreter, CSP-compliant) is used instead, so the page never needs 'unsafe-eval'.
 * Cost: reads ≈ 0.85 MB of scripts once per process.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Json } from "../notebooks/nbformat.js";
import { EsmlabError } from "../util/errors.js";
import type { ReportSection } from "./blocks.js";

/** The id of the JSON data block holding the specs, keyed by figure id. */
export const SPECS_ELEMENT_ID = "esmlab-specs";

/** What the layout inlines when the report is interactive. */
export interface InteractiveAssets {
  /** the inline script: the libraries and the boot code (safe inside a script element) */
  script: string;
  /** the figures' specs as JSON, `<` escaped, for a `type="application/json"` block */
  specs: string;
  /**
   * The what-if panels' Web Worker (src/whatif/worker.ts, bundled), for a `type="text/plain"`
   * block the panel starts it from; null when the report has no panel.
   */
  worker: string | null;
}

/** Runs after load: each figure with a spec gets a live chart; the SVG stays if that fails. */
const BOOT = `(function () {
  function boot() {
    var block = document.getElementById(${JSON.stringify(SPECS_ELEMENT_ID)});
    if (!block || typeof vegaEmbed !== "function") return;
    var specs = JSON.parse(block.textContent || "{}");
    Object.keys(specs).forEach(function (id) {
      var figure = document.getElementById(id);
      if (!figure) return;
      var live = document.createElement("div");
      live.className = "live";
      figure.insertBefore(live, figure.firstChild);
      vegaEmbed(live, specs[id], {
        renderer: "svg",
        actions: false,
        ast: true,
        expr: vegaExpressionInterpreter,
      }).then(function () {
        figure.classList.add("is-live");
      }, function (err) {
        live.remove();
        console.warn("esmlab: live chart " + id + " failed, keeping the static one", err);
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})();`;

let libraries: Promise<string> | null = null;

/**
 * Builds the inline script and the specs block for the figures that carry a Vega-Lite spec.
 *
 * @throws EsmlabError when vega, vega-lite, vega-embed or vega-interpreter is not installed
 * @example (await interactiveAssets(sections)).script.includes("vegaEmbed") // → true
 */
export async function interactiveAssets(
  sections: readonly ReportSection[],
): Promise<InteractiveAssets> {
  libraries ??= loadLibraries().catch((err: unknown) => {
    libraries = null;
    throw err;
  });
  const specs: Record<string, Json> = {};
  let panels = false;
  for (const block of sections.flatMap((s) => s.blocks)) {
    if (block.kind === "figure" && block.spec !== null) specs[block.id] = block.spec;
    if (block.kind === "whatif") panels = true;
  }
  if (!panels)
    return { script: `${await libraries}\n${BOOT}`, specs: scriptSafeJson(specs), worker: null };
  whatIfScripts ??= loadWhatIfScripts().catch((err: unknown) => {
    whatIfScripts = null;
    throw err;
  });
  const { panel, worker } = await whatIfScripts;
  return {
    script: `${await libraries}\n${BOOT}\n;\n${panel}`,
    specs: scriptSafeJson(specs),
    worker,
  };
}

let whatIfScripts: Promise<{ panel: string; worker: string }> | null = null;

/**
 * The what-if panel's browser bundles (scripts/build-browser.mjs): beside this module's
 * folder in dist/ (`dist/browser/`, also in an installed package); from the TypeScript
 * sources (tests) the build's copy.
 */
async function loadWhatIfScripts(): Promise<{ panel: string; worker: string }> {
  const folder = fileURLToPath(
    import.meta.url.endsWith(".ts")
      ? new URL("../../dist/browser/", import.meta.url)
      : new URL("../../browser/", import.meta.url),
  );
  const read = async (name: string) => {
    try {
      return scriptSafe(await readFile(join(folder, name), "utf8"));
    } catch (err) {
      throw new EsmlabError(
        `cannot read ${join(folder, name)}, the what-if panel's script: run \`npm run build\``,
        { cause: err },
      );
    }
  };
  const [panel, worker] = await Promise.all([read("whatif-panel.js"), read("whatif-worker.js")]);
  return { panel, worker };
}

/** JSON that cannot end its script element or open a comment inside it. */
export function scriptSafeJson(value: Json): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

async function loadLibraries(): Promise<string> {
  // the packages' exports hide package.json and build/, so look in the node_modules folders
  const folders = createRequire(import.meta.url).resolve.paths("vega") ?? [];
  const resolve = (pkg: string, file: string) => {
    const found = folders.map((dir) => join(dir, pkg, "build", file)).find((p) => existsSync(p));
    if (found === undefined)
      throw new EsmlabError(`${pkg} is not installed: the interactive report needs its ${file}`);
    return found;
  };
  const read = async (path: string) => {
    try {
      return await readFile(path, "utf8");
    } catch (err) {
      throw new EsmlabError(`cannot read ${path} for the interactive report`, { cause: err });
    }
  };
  const [vega, vegaLite, embed, interpreter] = await Promise.all([
    read(resolve("vega", "vega.min.js")),
    read(resolve("vega-lite", "vega-lite.min.js")),
    read(resolve("vega-embed", "vega-embed.min.js")),
    read(resolve("vega-interpreter", "vega-interpreter.js")),
  ]);
  // vega-interpreter ships as an ES module importing vega-util, whose exports the vega build
  // carries on its global: rewrite it into a classic script
  const classic = interpreter
    .replace(
      /^import \{([^}]*)\} from 'vega-util';$/m,
      (_all, names: string) => `const {${names}} = vega;`,
    )
    .replace(
      /^export \{ expression as expressionInterpreter \};$/m,
      "window.vegaExpressionInterpreter = expression;",
    );
  if (/^\s*(import|export)\b/m.test(classic))
    throw new EsmlabError("unexpected vega-interpreter build: cannot inline it as a script");
  return scriptSafe([vega, vegaLite, `(function () {\n${classic}\n})();`, embed].join("\n;\n"));
}

/** An inline script ends at the first "</script"; the builds have none, but make sure. */
function scriptSafe(code: string): string {
  return code.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");
}
