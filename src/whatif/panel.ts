/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The what-if panel in the page: reads the form, builds the scenario (form.ts), asks the Web
 * Worker (worker.ts) to simulate it and draws the answer — the verdict, the figures, the lines
 * `esmlab simulate` prints, and the concurrency and lag charts with vega-embed (inlined by the
 * interactive report, with the CSP-safe expression interpreter). Bundled by
 * scripts/build-browser.mjs into dist/browser/whatif-panel.js.
 *
 * ```
 * input/change ─▶ scenarioFrom ─▶ worker.postMessage({ id, input })
 *                                  … { id, answer } ─▶ latest id only ─▶ DOM + vegaEmbed
 * ```
 * A request made while the worker still works on an older one ends that worker (a large
 * scenario never holds up the next answer); a refused scenario leaves the last charts up and
 * says why in the status line. Each section states its progress in `data-state` (`ready`,
 * `busy`, `refused`), counts its answers in `data-answers` and the ones drawn in `data-drawn`,
 * and holds the outcome drawn last as its `esmlabOutcome` property.
 */
import type { WhatIfAnswer, WhatIfOutcome } from "./engine.js";
import { type AdvancedValue, describeValues, type PanelValues, scenarioFrom } from "./form.js";
import { advancedHtml, figuresHtml } from "./html.js";
import type { WhatIfReply } from "./worker.js";

declare const vegaEmbed: (el: HTMLElement, spec: unknown, options: object) => Promise<unknown>;
declare const vegaExpressionInterpreter: unknown;

/** The element holding the worker's source, as text (never executed as a page script). */
export const WORKER_SOURCE_ID = "esmlab-whatif-worker";
/** After this long without an answer the status line says the simulation is running. */
const BUSY_NOTICE_MS = 150;
/** Plot size of the panel's charts (report/whatif-html.ts WHATIF_CHART_SIZE). */
const CHART_SIZE = { width: 260, height: 90 };

interface PanelState {
  readonly input: object;
  readonly values: PanelValues;
}

class Panel {
  private worker: Worker | null = null;
  private busy = false;
  private latest = 0;
  private answers = 0;
  private advanced: Record<string, AdvancedValue> = {};
  private policy: string;
  private busyTimer: number | undefined;
  /** the field of the last input or change event (a select changed by script has no focus) */
  private lastTarget: EventTarget | null = null;

  constructor(
    private readonly section: HTMLElement,
    private readonly state: PanelState,
    private readonly workerUrl: string,
  ) {
    this.policy = state.values.policy;
    const form = section.querySelector("form");
    const changed = (e: Event) => {
      this.lastTarget = e.target;
      this.changed();
    };
    form?.addEventListener("input", changed);
    form?.addEventListener("change", changed);
    form?.addEventListener("submit", (e) => e.preventDefault());
    section.querySelector(".whatif-copy")?.addEventListener("click", () => this.copy());
    this.showSpike();
    section.dataset.state = "ready";
    section.dataset.answers = "0";
  }

  private read(): PanelValues {
    const field = (name: string) =>
      this.section.querySelector<HTMLInputElement | HTMLSelectElement>(`[name="${name}"]`)?.value ??
      "";
    const n = (name: keyof PanelValues) => Number(field(name));
    const policy = field("policy") as PanelValues["policy"];
    if (policy !== this.policy) {
      // another policy: its own preset, so the old policy's advanced values are dropped
      this.advanced = {};
      this.policy = policy;
    } else {
      for (const input of this.section.querySelectorAll<HTMLInputElement | HTMLSelectElement>(
        "[data-advanced]",
      ))
        if (input.value !== "" && input.dataset.touched === "yes")
          this.advanced[input.dataset.advanced!] = advancedValue(input);
    }
    return {
      shape: field("shape") as PanelValues["shape"],
      arrivals: field("arrivals") as PanelValues["arrivals"],
      ratePerSec: n("ratePerSec"),
      productionSec: n("productionSec"),
      spikeRatePerSec: n("spikeRatePerSec"),
      spikeStartSec: n("spikeStartSec"),
      spikeSec: n("spikeSec"),
      partitions: n("partitions"),
      startingPosition: field("startingPosition") as PanelValues["startingPosition"],
      backlogRecords: n("backlogRecords"),
      functionSec: n("functionSec"),
      batchSize: n("batchSize"),
      batchingWindowSec: n("batchingWindowSec"),
      policy,
      advanced: { ...this.advanced },
    };
  }

  private changed(): void {
    for (const input of this.section.querySelectorAll<HTMLElement>("[data-advanced]"))
      if (input === document.activeElement || input === this.lastTarget)
        input.dataset.touched = "yes";
    this.showSpike();
    const values = this.read();
    const input = scenarioFrom(values, this.state.input as Parameters<typeof scenarioFrom>[1]);
    this.describe(values);
    this.ask(input);
  }

  private showSpike(): void {
    const spike =
      this.section.querySelector<HTMLSelectElement>('[name="shape"]')?.value === "spike";
    const part = this.section.querySelector<HTMLElement>(".whatif-spike");
    if (part) part.hidden = !spike;
  }

  private describe(values: PanelValues): void {
    const described = this.section.querySelector(".whatif-described");
    if (described) described.textContent = describeValues(values);
  }

  private ask(input: object): void {
    if (this.busy && this.worker) {
      // still on an older scenario: drop it rather than queue behind it
      this.worker.terminate();
      this.worker = null;
    }
    if (this.worker === null) {
      try {
        this.worker = new Worker(this.workerUrl);
      } catch (err) {
        this.status(`This browser cannot run the simulator here: ${String(err)}`, "refused");
        return;
      }
      this.worker.onmessage = (e: MessageEvent<WhatIfReply>) => this.answered(e.data);
      this.worker.onerror = (e) => {
        this.busy = false;
        this.status(`The simulator stopped: ${e.message}`, "refused");
      };
    }
    const id = ++this.latest;
    this.busy = true;
    this.section.dataset.state = "busy";
    window.clearTimeout(this.busyTimer);
    this.busyTimer = window.setTimeout(() => {
      if (this.busy) this.status("Simulating…", "busy");
    }, BUSY_NOTICE_MS);
    this.worker.postMessage({ id, input, ...CHART_SIZE });
  }

  private answered(reply: WhatIfReply): void {
    if (reply.id !== this.latest) return;
    this.busy = false;
    window.clearTimeout(this.busyTimer);
    this.answers += 1;
    this.section.dataset.answers = String(this.answers);
    const answer: WhatIfAnswer = reply.answer;
    if (!answer.ok) {
      this.status(answer.message, "refused");
      return;
    }
    this.status("", "ready");
    void this.draw(answer.outcome);
  }

  private async draw(outcome: WhatIfOutcome): Promise<void> {
    const set = (selector: string, text: string) => {
      const el = this.section.querySelector(selector);
      if (el) el.textContent = text;
    };
    set(".whatif-verdict", outcome.verdict);
    set(".whatif-lines", outcome.lines.join("\n"));
    const figures = this.section.querySelector(".whatif-figures");
    if (figures) figures.innerHTML = figuresHtml(outcome);
    const params = this.section.querySelector(".whatif-params");
    if (params && !params.contains(document.activeElement))
      params.innerHTML = advancedHtml(outcome, this.advanced);
    const json = this.section.querySelector("textarea");
    if (json) json.value = JSON.stringify(outcome.input, null, 2);
    const charts = [...this.section.querySelectorAll<HTMLElement>(".whatif-chart")];
    await Promise.all(
      charts.map(async (figure) => {
        const spec = outcome.charts[figure.dataset.chart as keyof WhatIfOutcome["charts"]];
        const live = document.createElement("div");
        await vegaEmbed(live, spec, {
          renderer: "svg",
          actions: false,
          ast: true,
          expr: vegaExpressionInterpreter,
        });
        figure.replaceChildren(live);
      }),
    );
    this.section.dataset.drawn = String(this.answers);
    // the outcome drawn, for scripts and tests reading the page (its charts' data included)
    (this.section as HTMLElement & { esmlabOutcome?: WhatIfOutcome }).esmlabOutcome = outcome;
  }

  private status(text: string, state: "ready" | "busy" | "refused"): void {
    const line = this.section.querySelector(".whatif-status");
    if (line) line.textContent = text;
    this.section.dataset.state = state;
  }

  private copy(): void {
    const json = this.section.querySelector("textarea");
    if (!json) return;
    const selectIt = () => {
      const details = json.closest("details");
      if (details) details.open = true;
      json.select();
    };
    if (navigator.clipboard === undefined) {
      selectIt();
      return;
    }
    navigator.clipboard
      .writeText(json.value)
      .then(() => this.status("Scenario JSON copied.", "ready"), selectIt);
  }
}

/** A field's value as its parameter's type: a number field's number, a choice's word or boolean. */
function advancedValue(input: HTMLInputElement | HTMLSelectElement): AdvancedValue {
  if (input instanceof HTMLInputElement) return Number(input.value);
  return input.value === "true" ? true : input.value === "false" ? false : input.value;
}

/** Starts every panel of the page; without the worker's source or vega-embed, none. */
function boot(): void {
  const source = document.getElementById(WORKER_SOURCE_ID)?.textContent;
  if (!source || typeof vegaEmbed !== "function") return;
  const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  for (const section of document.querySelectorAll<HTMLElement>("[data-whatif]")) {
    const block = section.querySelector(".whatif-state");
    if (!block?.textContent) continue;
    new Panel(section, JSON.parse(block.textContent) as PanelState, url);
  }
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
else boot();
