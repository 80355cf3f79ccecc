/**
 * What a notebook type-checks against. tslab builds a TypeScript program for every cell from
 * `import * as esmlab from "esmlab"` and everything esmlab's declarations reach; the AWS SDK's
 * and zod's declarations would triple that graph and cost every cell (issue 14). They live
 * behind `esmlab/cloudwatch` and `esmlab/schema`. Checked with the TypeScript tslab itself
 * runs, with tslab's module resolution (Node10, which reads `typesVersions`, not `exports`), on
 * the built declarations in dist/.
 */
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import type * as TS from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const require = createRequire(import.meta.url);
// tslab's own TypeScript (tslab pins it), resolved as tslab resolves it
const ts = require(
  createRequire(require.resolve("tslab/package.json")).resolve("@tslab/typescript-for-tslab"),
) as typeof TS;

/** The declaration files a tslab cell holding `source` reaches, under tslab's options. */
function reached(source: string): { files: string[]; errors: string[] } {
  const cwd = join(ROOT, "notebooks");
  const cell = join(cwd, "__cell__.ts");
  const host = ts.createCompilerHost({});
  const { readFile, fileExists } = host;
  host.readFile = (p) => (p === cell ? source : readFile(p));
  host.fileExists = (p) => p === cell || fileExists(p);
  // the options of tslab's converter (node_modules/tslab/dist/converter.js) that decide what
  // is resolved and reported; types: [] leaves out the @types of this checkout's dev tools
  const options: TS.CompilerOptions = {
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
    target: ts.ScriptTarget.ES2022,
    lib: ["lib.es2022.d.ts"],
    skipLibCheck: true,
    resolveJsonModule: true,
    types: ["node"],
  };
  const program = ts.createProgram([cell], options, host);
  const errors = ts
    .getPreEmitDiagnostics(program, program.getSourceFile(cell))
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  return { files: program.getSourceFiles().map((f) => f.fileName), errors };
}

const HEAVY = /node_modules\/(zod|@aws-sdk|@smithy)\//;

describe("the declarations a notebook type-checks against", () => {
  it('import * as esmlab from "esmlab" reaches neither zod nor the AWS SDK', () => {
    const { files, errors } = reached(
      'import * as esmlab from "esmlab";\n' +
        'const s: esmlab.ScenarioInput = { workload: { kind: "constant", ratePerSec: 1, durationSec: 60 }, topic: { partitions: 2 } };\n' +
        'export const n: number = esmlab.simulate(esmlab.resolveScenario(s, { source: "cell" })).meta.summary.invocations;\n',
    );
    expect(errors).toEqual([]);
    expect(files.some((f) => f.endsWith("/dist/src/index.d.ts"))).toBe(true);
    expect(files.filter((f) => HEAVY.test(f))).toEqual([]);
  });

  it("the plain ScenarioInput is checked: a misspelt field is an error in the cell", () => {
    const { errors } = reached(
      'import * as esmlab from "esmlab";\n' +
        'export const s: esmlab.ScenarioInput = { workload: { kind: "constant", ratePerSec: 1, durationSec: 60 }, topic: { partitons: 2 } };\n',
    );
    expect(errors.join("\n")).toMatch(/partitons/);
  });

  it("esmlab/cloudwatch and esmlab/schema resolve in a cell, with the SDK's and zod's types", () => {
    const { files, errors } = reached(
      'import { fetchMeasuredRun, type GetMetricDataClient } from "esmlab/cloudwatch";\n' +
        'import { scenarioSchema } from "esmlab/schema";\n' +
        "export const ok: boolean = scenarioSchema.safeParse({}).success;\n" +
        "export const f: (o: Parameters<typeof fetchMeasuredRun>[0], c: GetMetricDataClient) => unknown = fetchMeasuredRun;\n",
    );
    expect(errors).toEqual([]);
    expect(files.some((f) => /node_modules\/zod\//.test(f))).toBe(true);
    expect(files.some((f) => /node_modules\/@aws-sdk\/client-cloudwatch\//.test(f))).toBe(true);
  });

  it("tslab's TypeScript is the one its package pins", () => {
    const pinned = (
      require(join(dirname(require.resolve("tslab/package.json")), "package.json")) as {
        dependencies: Record<string, string>;
      }
    ).dependencies["@tslab/typescript-for-tslab"];
    expect(ts.version).toBe(pinned);
  });
});
