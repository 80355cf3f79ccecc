/// <reference lib="dom" />
// (callbacks passed to page.evaluate run in Chromium, against the DOM)
/**
 * An executed esmlab notebook opened as a person opens it: Debian's classic Jupyter Notebook
 * server (6.4) serving it, headless Chromium showing it. Nobody signed the notebook, so Jupyter
 * treats it as untrusted and hides every `image/svg+xml` output: each chart must still show,
 * as its `image/png`. The server gets a temporary HOME and Jupyter folders (nothing of this
 * machine's Jupyter set-up is read or written), a random free port on 127.0.0.1 and a token.
 * A screenshot of the first chart is left in the temporary folder, or in $ESMLAB_SCREENSHOT_DIR
 * when set (to look at).
 *
 * Skipped where /usr/bin/jupyter-notebook or Chromium is missing (`npm test` installs both as
 * root: scripts/ensure.mjs).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import type { Browser, Page } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KERNEL_NAME, kernelSpec } from "../../src/notebooks/kernelspec.js";
import { runNotebooks } from "../../src/notebooks/runner.js";
import { DEFAULT_CHROMIUM, launchChromium } from "../../src/report/render-pdf.js";
import { tempDir } from "../helpers.js";

const JUPYTER_NOTEBOOK = "/usr/bin/jupyter-notebook";
const NOTEBOOK = "notebooks/01-blog-cases.ipynb";
const missing = [JUPYTER_NOTEBOOK, DEFAULT_CHROMIUM].filter((p) => !existsSync(p));
if (missing.length > 0) {
  process.stderr.write(
    `jupyter-browser.test.ts skipped: ${missing.join(" and ")} missing ` +
      "(apt-get install -y --no-install-recommends jupyter-notebook chromium)\n",
  );
}

/** A TCP port free on 127.0.0.1 now (the OS picks it; the server takes it right after). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address !== null
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}

/** Polls `url` until it answers 200, or fails after `timeoutMs` with the server's output. */
async function waitForHttp(url: string, timeoutMs: number, log: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`jupyter-notebook did not answer ${url}:\n${log()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The number of chart outputs in a notebook file: display_data outputs carrying an SVG. */
function chartOutputs(path: string): number {
  const nb = JSON.parse(readFileSync(path, "utf8")) as {
    cells: { outputs?: { output_type: string; data?: Record<string, unknown> }[] }[];
  };
  return nb.cells
    .flatMap((c) => c.outputs ?? [])
    .filter((o) => o.output_type === "display_data" && o.data?.["image/svg+xml"] !== undefined)
    .length;
}

describe.skipIf(missing.length > 0)(
  "an executed notebook in Jupyter's classic notebook, untrusted",
  () => {
    const dir = tempDir("esmlab-jupyter-browser-");
    const token = `esmlab-${process.pid}-${Date.now()}`;
    let server: ChildProcess | undefined;
    let serverLog = "";
    let browser: Browser | undefined;
    let page: Page;
    let charts = 0;

    beforeAll(async () => {
      const notebooks = join(dir, "notebooks");
      const results = await runNotebooks([NOTEBOOK], { outDir: notebooks, cellTimeoutMs: 120_000 });
      expect(results.map((r) => r.status)).toEqual(["ok"]);
      charts = chartOutputs(join(notebooks, "01-blog-cases.ipynb"));

      // Jupyter's own folders, all under the temporary folder; the kernelspec is there so the
      // page finds the notebook's kernel (else a "kernel not found" dialog covers it)
      const home = join(dir, "home");
      const data = join(dir, "data");
      const config = join(dir, "config");
      const path = join(dir, "path");
      for (const d of [home, data, config, path]) mkdirSync(d, { recursive: true });
      mkdirSync(join(path, "kernels", KERNEL_NAME), { recursive: true });
      writeFileSync(
        join(path, "kernels", KERNEL_NAME, "kernel.json"),
        JSON.stringify(kernelSpec()),
      );

      const port = await freePort();
      const args = [
        "--no-browser",
        "--ip=127.0.0.1",
        `--port=${port}`,
        "--port-retries=0",
        `--notebook-dir=${notebooks}`,
        `--NotebookApp.token=${token}`,
        // as root (CI, this machine's tests) the server refuses to start without it
        ...(process.getuid?.() === 0 ? ["--allow-root"] : []),
      ];
      server = spawn(JUPYTER_NOTEBOOK, args, {
        cwd: notebooks,
        env: {
          PATH: process.env.PATH ?? "/usr/bin:/bin",
          HOME: home,
          JUPYTER_CONFIG_DIR: config,
          JUPYTER_DATA_DIR: data,
          JUPYTER_RUNTIME_DIR: join(data, "runtime"),
          JUPYTER_PATH: path,
          JUPYTER_CONFIG_PATH: config,
          IPYTHONDIR: join(home, ".ipython"),
          LANG: "C.UTF-8",
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      server.stdout?.on("data", (b: Buffer) => {
        serverLog += b.toString();
      });
      server.stderr?.on("data", (b: Buffer) => {
        serverLog += b.toString();
      });
      const base = `http://127.0.0.1:${port}`;
      await waitForHttp(`${base}/api/status?token=${token}`, 60_000, () => serverLog);

      browser = await launchChromium();
      page = await browser.newPage();
      await page.setViewport({ width: 1400, height: 1000 });
      await page.goto(`${base}/notebooks/01-blog-cases.ipynb?token=${token}`, {
        waitUntil: "domcontentloaded",
      });
      // the notebook is drawn by script once its JSON has loaded
      await page.waitForFunction(
        (n: number) => document.querySelectorAll(".output_png img").length >= n,
        { timeout: 60_000 },
        charts,
      );
    }, 300_000);

    afterAll(async () => {
      await browser?.close();
      if (server !== undefined && server.exitCode === null) {
        // SIGTERM lets the server shut its kernels down before it exits
        const exited = new Promise((r) => server!.once("exit", r));
        server.kill("SIGTERM");
        const timer = setTimeout(() => server!.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(timer);
      }
    }, 30_000);

    it("opens the notebook as not trusted, so no chart is shown as SVG", async () => {
      expect(charts).toBeGreaterThan(0);
      const trusted = await page.$eval("#notification_trusted", (e) => e.textContent?.trim());
      expect(trusted).toBe("Not Trusted");
      expect(await page.$$eval(".output_svg", (e) => e.length)).toBe(0);
    });

    it("shows every chart output as a loaded <img> at the chart's own size", async () => {
      const images = await page.$$eval(".output_png img", (imgs) =>
        Promise.all(
          (imgs as HTMLImageElement[]).map(async (img) => {
            await img.decode().catch(() => undefined);
            return {
              complete: img.complete,
              naturalWidth: img.naturalWidth,
              naturalHeight: img.naturalHeight,
              width: img.getAttribute("width"),
              height: img.getAttribute("height"),
            };
          }),
        ),
      );
      expect(images).toHaveLength(charts);
      for (const img of images) {
        expect(img.complete).toBe(true);
        expect(img.naturalWidth).toBeGreaterThan(0);
        expect(img.naturalHeight).toBeGreaterThan(0);
        // the 2× image is shown at the size given in its metadata, half its pixels
        expect(Number(img.width) * 2).toBe(img.naturalWidth);
        expect(Number(img.height) * 2).toBe(img.naturalHeight);
      }
    });

    it("shows the prose a notebook builds from its values (showMarkdown) while not trusted", async () => {
      // classic Jupyter hides text/markdown outputs of an untrusted notebook; the HTML beside it
      // is shown, sanitised (docs/toolchain.md)
      const texts = await page.$$eval(".output_html .esmlab-markdown", (els) =>
        els.map((e) => ({ text: e.textContent ?? "", bold: e.querySelectorAll("strong").length })),
      );
      const scope = texts.find((t) => t.text.startsWith("Here the cases run under legacy-15min"));
      expect(scope).toBeDefined();
      expect(scope!.bold).toBeGreaterThan(0); // "**assumption**" rendered, not shown as asterisks
    });

    it("draws the first chart on screen (screenshot saved)", async () => {
      const first = await page.$(".output_png img");
      expect(first).not.toBeNull();
      await first!.scrollIntoView();
      const box = await first!.boundingBox();
      expect(box!.width).toBeGreaterThan(100);
      expect(box!.height).toBeGreaterThan(50);
      const shot = join(dir, "jupyter-classic-chart.png");
      await page.screenshot({ path: shot });
      expect(readFileSync(shot).subarray(1, 4).toString()).toBe("PNG");
      const keep = process.env.ESMLAB_SCREENSHOT_DIR;
      if (keep !== undefined && keep !== "") {
        mkdirSync(keep, { recursive: true });
        copyFileSync(shot, join(keep, "jupyter-classic-chart.png"));
      }
    });
  },
);
