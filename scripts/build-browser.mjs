// Bundles the what-if panel for browsers from the same TypeScript sources as the package:
//   src/whatif/worker.ts → <out>/browser/whatif-worker.js  (simulator, presets, fit, charts)
//   src/whatif/panel.ts  → <out>/browser/whatif-panel.js   (the page's form and drawing)
// Each is one classic script (IIFE), minified, with no eval. Two Node-only modules are swapped
// for browser ones: src/util/hash.ts (node:crypto → @noble/hashes, the same SHA-256) and
// src/version.ts (package.json read at build time; no git commit in a browser).
//
// Usage: node scripts/build-browser.mjs [outDir]   (default dist; run after tsc)
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const out = resolve(root, process.argv[2] ?? "dist", "browser");
const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

const swaps = new Map([
  [join(root, "src", "util", "hash.ts"), join(root, "src", "whatif", "browser", "hash.ts")],
  [join(root, "src", "version.ts"), join(root, "src", "whatif", "browser", "version.ts")],
]);

/**
 * Swaps the Node-only sources for their browser versions (other imports resolve as usual), and
 * zod's namespace of translated messages for an empty one: esmlab's messages are its own, in
 * English (zod configures English from locales/en.js directly), and the translations are
 * 264 KB of the bundle.
 */
const browserSources = {
  name: "esmlab-browser-sources",
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      args.importer.includes(`${join("node_modules", "zod")}`)
        ? { path: "zod-locales", namespace: "esmlab-empty" }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "esmlab-empty" }, () => ({ contents: "export {};" }));
    b.onResolve({ filter: /^\.\.?\/.*\.js$/ }, (args) => {
      if (!args.importer.startsWith(join(root, "src"))) return undefined;
      const swap = swaps.get(resolve(args.resolveDir, args.path).replace(/\.js$/, ".ts"));
      return swap === undefined ? undefined : { path: swap };
    });
  },
};

await build({
  entryPoints: {
    "whatif-worker": join(root, "src", "whatif", "worker.ts"),
    "whatif-panel": join(root, "src", "whatif", "panel.ts"),
  },
  outdir: out,
  bundle: true,
  format: "iife",
  platform: "browser",
  target: "es2022",
  minify: true,
  legalComments: "eof",
  define: { __ESMLAB_VERSION__: JSON.stringify(version) },
  plugins: [browserSources],
  logLevel: "warning",
});
