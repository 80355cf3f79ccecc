/**
 * `esmlab simulate` gives every scenario a clear answer: work that cannot finish is refused
 * before it starts, odd JSON (deep nesting, a byte order mark, overflowing numbers) gets one
 * line naming the file and field, inline traces are simulated — and a refusal writes nothing.
 */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempDir } from "../helpers.js";

const dir = tempDir("esmlab-limits-");

const base = () => ({
  workload: { kind: "constant", ratePerSec: 2, durationSec: 100 } as Record<string, unknown>,
  topic: { partitions: 10 },
});

/** Write `text` (or JSON of an object) as a scenario file; its path. */
function scenario(name: string, content: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
}

/** Run `simulate FILE --out DIR ...extra` and time it. */
function simulate(file: string, ...extra: string[]) {
  const out = join(dir, `out-${Math.random().toString(36).slice(2)}`);
  const started = performance.now();
  const res = runCli("simulate", file, "--out", out, ...extra);
  return { ...res, out, ms: performance.now() - started };
}

/** A refusal: the exit code, one stderr line matching `line`, quick, and no output folder. */
function expectRefused(res: ReturnType<typeof simulate>, code: number, line: RegExp): void {
  expect(res.err).toMatch(/^esmlab: [^\n]*\n$/);
  expect(res.err).toMatch(line);
  expect(res.err).not.toMatch(/null|NaN| {4}at /);
  expect(res.code).toBe(code);
  expect(res.ms).toBeLessThan(10_000);
  expect(existsSync(res.out)).toBe(false);
}

describe("simulate refuses work that cannot finish, before it starts", () => {
  it("--resolution 0.000001: below the 1 ms floor", () => {
    const file = scenario("spike.json", base());
    expectRefused(
      simulate(file, "--resolution", "0.000001"),
      1,
      /invalid run\.resolutionSec: 0\.000001 \(scenario .*spike\.json\): must be at least 0\.001 s/,
    );
  });

  it("Poisson at 10^6/s for 1000 s: 10^9 arrivals held in memory", () => {
    const file = scenario("poisson.json", {
      ...base(),
      workload: { kind: "poisson", ratePerSec: 1e6, durationSec: 1000 },
    });
    expectRefused(
      simulate(file),
      2,
      /scenario .*poisson\.json: workload\.ratePerSec 1000000 × workload\.durationSec 1000 makes a backlog of 1e9 generated arrivals held in memory .*raise --max-events/,
    );
  });

  it("scaler.evaluationIntervalSec 1e-9: below the 1 ms floor", () => {
    const file = scenario("eval.json", {
      ...base(),
      scaler: { policy: "on-demand-2022", evaluationIntervalSec: 1e-9 },
    });
    expectRefused(
      simulate(file),
      1,
      /invalid scaler\.evaluationIntervalSec: 1e-9 \(scenario .*eval\.json\): must be at least 0\.001 s/,
    );
  });

  it("scaler.evaluationIntervalSec 1 ms over 10^6 s: 10^9 evaluations", () => {
    const file = scenario("eval-long.json", {
      ...base(),
      workload: { kind: "constant", ratePerSec: 2, durationSec: 1e6 },
      scaler: { policy: "on-demand-2022", evaluationIntervalSec: 0.001 },
    });
    expectRefused(
      simulate(file),
      2,
      /scenario .*eval-long\.json: scaler\.evaluationIntervalSec 0\.001 makes 1e9 scaler evaluations/,
    );
  });

  it("function.throttleBackoffSec 1e-9: below the 1 ms floor", () => {
    const file = scenario("throttle.json", {
      ...base(),
      function: { concurrencyLimit: 1, throttleBackoffSec: 1e-9 },
    });
    expectRefused(
      simulate(file),
      1,
      /invalid function\.throttleBackoffSec: 1e-9 \(scenario .*throttle\.json\)/,
    );
  });

  it("KEDA scaleUpPeriodSec 1e-12: below Kubernetes' 1 s", () => {
    const file = scenario("keda.json", {
      ...base(),
      scaler: { policy: "keda", scaleUpPeriodSec: 1e-12 },
    });
    expectRefused(
      simulate(file),
      1,
      /invalid scaler\.scaleUpPeriodSec: 1e-12 \(scenario .*keda\.json\): must be at least 1 s/,
    );
  });

  it("--max-events lowers or lifts the budget knowingly", () => {
    const file = scenario("small.json", base());
    expectRefused(
      simulate(file, "--max-events", "100"),
      2,
      /scenario .*small\.json: run\.resolutionSec 1 makes 2701 series rows .*\(budget 1\); raise --max-events/,
    );
    expect(simulate(file, "--max-events", "1e6").code).toBe(0);
    for (const bad of ["abc", "0", "-5", "1.5", ""]) {
      const res = simulate(file, "--max-events", bad);
      expect(res.code).toBe(2);
      expect(res.err).toMatch(/option '--max-events <n>' argument .* is invalid/);
      expect(existsSync(res.out)).toBe(false);
    }
  });
});

describe("simulate answers odd JSON in one line naming file and field", () => {
  it("100 000 nested arrays in a field", () => {
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    const file = scenario("deep.json", JSON.stringify(base()).replace(/}$/, `,"label":${deep}}`));
    expectRefused(
      simulate(file),
      1,
      /invalid label: \[an array nested too deeply to show\] \(scenario .*deep\.json\)/,
    );
  });

  it("100 000 nested arrays as the whole file", () => {
    const file = scenario("deep-top.json", `${"[".repeat(100_000)}${"]".repeat(100_000)}`);
    expectRefused(simulate(file), 1, /invalid scenario: .* \(scenario .*deep-top\.json\)/);
  });

  it("a UTF-8 byte order mark is accepted", () => {
    const res = simulate(scenario("bom.json", `\uFEFF${JSON.stringify(base())}`));
    expect(res.err).toBe("");
    expect(res.code).toBe(0);
  });

  it("1e999 (parsed as Infinity) shows as written", () => {
    const file = scenario(
      "inf.json",
      JSON.stringify(base()).replace('"durationSec":100', '"durationSec":1e999'),
    );
    expectRefused(
      simulate(file),
      1,
      /^esmlab: invalid workload\.durationSec: 1e999 \(scenario .*inf\.json\): too large/,
    );
  });

  it("1e308, whose arithmetic overflows, is refused naming the field", () => {
    const file = scenario("big.json", {
      ...base(),
      workload: { kind: "constant", ratePerSec: 1e308, durationSec: 10 },
    });
    expectRefused(
      simulate(file),
      1,
      /scenario .*big\.json: workload\.ratePerSec 1e308 × workload\.durationSec 10 makes more than 1e308 records/,
    );
  });

  it("a key with a line break stays on one line", () => {
    const file = scenario("newline.json", { ...base(), "bad\nkey": 1 });
    expectRefused(simulate(file), 1, /unknown field bad\\nkey \(scenario .*newline\.json\)/);
  });
});

describe("inline traces", () => {
  it("are simulated", () => {
    const file = scenario("inline.json", {
      ...base(),
      workload: { kind: "trace", timestampsSec: [0, 0.5, 1, 30] },
    });
    const res = simulate(file);
    expect(res.err).toBe("");
    expect(res.code).toBe(0);
    expect(res.out).toBeTruthy();
    expect(res.ms).toBeLessThan(10_000);
    const json = runCli("simulate", file, "--out", join(dir, "inline-json"), "--json");
    expect(JSON.parse(json.out)).toMatchObject({ producedRecords: 4, processedRecords: 4 });
  });

  it("are refused when empty, like an empty trace file", () => {
    const file = scenario("empty.json", {
      ...base(),
      workload: { kind: "trace", timestampsSec: [] },
    });
    expectRefused(
      simulate(file),
      1,
      /invalid workload\.timestampsSec: \[\] \(scenario .*empty\.json\): a trace needs at least one timestamp/,
    );
    writeFileSync(join(dir, "empty.trace"), "# nothing\n");
    const fromFile = scenario("empty-file.json", {
      ...base(),
      workload: { kind: "trace", file: "empty.trace" },
    });
    expectRefused(simulate(fromFile), 1, /trace .*empty\.trace has no timestamps/);
  });
});
