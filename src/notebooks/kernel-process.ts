/**
 * The tslab kernel process: spawned as its own process-group leader under a watchdog, so that
 * neither it nor anything a cell started outlives esmlab — on normal exit, on a signal, or
 * when esmlab itself is SIGKILLed. Its connection file holds the HMAC key that lets anyone on
 * the machine run code in the kernel: it is private to the user (0600 in a 0700 folder) and
 * removed with the kernel, also when esmlab is stopped by a signal.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { type AddressInfo, createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { EsmlabError } from "../util/errors.js";

/**
 * The absolute path of tslab's bin script (`tslab/bin/tslab`), found by Node's module
 * resolution from esmlab's own files — wherever npm put it: esmlab's checkout, a package that
 * depends on esmlab (tslab hoisted beside it or nested under it), a study made by `esmlab init`.
 * Run it with `process.execPath`, so the kernel runs on the Node that runs esmlab.
 *
 * @throws EsmlabError when tslab cannot be resolved from esmlab's folder (an incomplete install)
 * @example
 * tslabBin(); // → "/path/to/project/node_modules/tslab/bin/tslab"
 */
export function tslabBin(): string {
  if (tslabBinPath !== undefined) return tslabBinPath;
  let manifest: string;
  try {
    manifest = createRequire(import.meta.url).resolve("tslab/package.json");
  } catch (err) {
    throw new EsmlabError(
      "cannot find tslab, which esmlab runs notebooks on: it is a dependency of esmlab, so `npm install` in your project should install it",
      { cause: err },
    );
  }
  const { bin } = JSON.parse(readFileSync(manifest, "utf8")) as {
    bin?: string | Record<string, string>;
  };
  const script = typeof bin === "string" ? bin : bin?.tslab;
  if (script === undefined) {
    throw new EsmlabError(`cannot find tslab's bin script: ${manifest} names no "bin"`);
  }
  tslabBinPath = resolve(dirname(manifest), script);
  return tslabBinPath;
}
let tslabBinPath: string | undefined;

/**
 * The command that starts tslab's kernel on `connectionFile` (Jupyter's `{connection_file}`
 * placeholder in a kernelspec): this Node, esmlab's launcher (tslab-kernel.cts, which makes
 * tslab's sockets send without losing messages), tslab's bin script.
 *
 * @throws EsmlabError when tslab cannot be found ({@link tslabBin}) or the launcher is missing
 *   (an unbuilt checkout)
 * @example
 * kernelCommand("{connection_file}");
 * // → ["/usr/bin/node", "/path/to/project/node_modules/esmlab/dist/src/notebooks/tslab-kernel.cjs",
 * //    "/path/to/project/node_modules/tslab/bin/tslab", "kernel", "--config-path", "{connection_file}"]
 */
export function kernelCommand(connectionFile: string): string[] {
  return [
    process.execPath,
    kernelLauncher(),
    tslabBin(),
    "kernel",
    "--config-path",
    connectionFile,
  ];
}

/**
 * The compiled launcher beside this module (`dist/src/notebooks/tslab-kernel.cjs`, also in an
 * installed package); from the TypeScript sources (tests) the build's copy, which
 * `scripts/ensure.mjs` keeps current.
 */
function kernelLauncher(): string {
  const path = fileURLToPath(
    import.meta.url.endsWith(".ts")
      ? new URL("../../dist/src/notebooks/tslab-kernel.cjs", import.meta.url)
      : new URL("./tslab-kernel.cjs", import.meta.url),
  );
  if (!existsSync(path))
    throw new EsmlabError(`cannot find esmlab's kernel launcher ${path}: run \`npm run build\``);
  return path;
}

/** A fresh kernel connection (jupyter-client.readthedocs.io/en/latest/kernels.html#connection-files). */
export interface Connection {
  /** temporary folder holding the connection file; remove it after the kernel */
  dir: string;
  file: string;
  key: string;
  shellPort: number;
  iopubPort: number;
}

/**
 * Writes a connection file with five free localhost ports and a random HMAC-SHA256 key, in a
 * fresh `esmlab-kernel-*` folder under `os.tmpdir()`. The folder is removed by
 * {@link removeConnection}, or by {@link cleanupKernels} (also run when the process exits).
 */
export async function writeConnectionFile(): Promise<Connection> {
  installExitHook();
  const [shellPort, iopubPort, controlPort, stdinPort, hbPort] = await freePorts(5);
  const key = randomBytes(32).toString("hex");
  const dir = await mkdtemp(join(tmpdir(), "esmlab-kernel-")); // mode 0700
  connectionDirs.add(dir);
  const file = join(dir, "connection.json");
  await writeFile(
    file,
    JSON.stringify({
      transport: "tcp",
      ip: "127.0.0.1",
      shell_port: shellPort,
      iopub_port: iopubPort,
      control_port: controlPort,
      stdin_port: stdinPort,
      hb_port: hbPort,
      signature_scheme: "hmac-sha256",
      key,
    }),
    { mode: 0o600 },
  );
  return { dir, file, key, shellPort: shellPort!, iopubPort: iopubPort! };
}

/** Removes a connection's folder (and the key in it). */
export async function removeConnection(conn: Connection): Promise<void> {
  await rm(conn.dir, { recursive: true, force: true });
  connectionDirs.delete(conn.dir);
}

/**
 * Spawns the tslab kernel ({@link tslabBin}) on a connection file.
 *
 * @param cwd the kernel's working directory (tslab also makes it the compiler's rootDir)
 * @param argv internal, for tests: a command run instead of tslab, `{connection_file}` in it
 *   replaced as in a kernelspec's argv
 * @throws EsmlabError when tslab cannot be found ({@link tslabBin}); the connection folder of
 *   `connectionFile` is removed then, as no kernel will use it
 */
export function spawnKernel(
  connectionFile: string,
  cwd: string,
  env: Record<string, string> = {},
  argv?: readonly string[],
): ChildProcess {
  installExitHook();
  let kernel: string[] | undefined;
  if (argv === undefined) {
    try {
      kernel = kernelCommand(connectionFile);
    } catch (err) {
      dropConnectionDir(connectionFile);
      throw err;
    }
  }
  // The kernel runs under a small wrapper whose worker thread polls the parent's pid and kills
  // the process group when esmlab is gone — even by SIGKILL, and also while a cell spins in a
  // loop (the worker has its own thread). It waits with Atomics.wait, which process.exit() can
  // interrupt: a worker blocked in a read() of stdin kept a cell's process.exit() from ever
  // ending the kernel.
  const watchdog = [
    "const w = new Int32Array(new SharedArrayBuffer(4)); const parent = process.ppid;",
    "while (process.ppid === parent) Atomics.wait(w, 0, 0, 200);",
    "try { process.kill(-process.pid, 'SIGKILL'); } catch {} process.kill(process.pid, 'SIGKILL');",
  ].join("\n");
  const wrapper = [
    `new (require("worker_threads").Worker)(${JSON.stringify(watchdog)}, { eval: true }).unref();`,
    // as if run as `node <launcher> <tslab bin> kernel --config-path <file>`
    `process.argv = ${JSON.stringify(kernel)};`,
    `require(process.argv[1]);`,
  ].join("\n");
  const [command, ...args] =
    argv === undefined
      ? [process.execPath, "-e", wrapper]
      : argv.map((a) => a.replaceAll("{connection_file}", connectionFile));
  const child = spawn(command!, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: process.platform !== "win32", // its own process group, see signalGroup
  });
  live.add(child);
  child.on("exit", () => live.delete(child));
  child.on("error", () => live.delete(child)); // could not be spawned: reported by Kernel
  return child;
}

/** Removes the connection folder holding `connectionFile`, if this process made it. */
function dropConnectionDir(connectionFile: string): void {
  const dir = dirname(connectionFile);
  if (!connectionDirs.delete(dir)) return;
  rmSync(dir, { recursive: true, force: true });
}

/** Live kernels, killed on exit so that a kernel never outlives esmlab. */
const live = new Set<ChildProcess>();
/** Connection folders not yet removed, removed on exit so that no key outlives esmlab. */
const connectionDirs = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", killAllKernels);
}

/**
 * Signals the kernel's whole process group (it is spawned as a group leader), so that what a
 * cell started — `execSync("sleep 60")` — is interrupted or killed with it, as Jupyter does.
 */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid === undefined) throw new Error("no pid");
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal); // no process groups (Windows), or the group is gone already
  }
}

/** Number of kernels of this process still running. */
export function liveKernelCount(): number {
  return live.size;
}

/**
 * Kills every kernel this process started and removes their connection folders, synchronously
 * (for signal handlers of the CLI, which exit right after).
 */
export function killAllKernels(): void {
  for (const child of live) signalGroup(child, "SIGKILL");
  live.clear();
  cleanupKernels();
}

/**
 * Removes every connection folder this process created and has not removed yet, synchronously:
 * they hold the kernels' HMAC keys. For the way out (signal handlers, `exit`): a kernel still
 * starting would find its connection file gone.
 */
export function cleanupKernels(): void {
  for (const dir of connectionDirs) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // best effort on the way out: nothing left to report it to
    }
  }
  connectionDirs.clear();
}

/** `n` distinct free localhost TCP ports (bound to port 0 and released at once). */
async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<Server>((resolve, reject) => {
          const s = createServer();
          s.once("error", reject);
          s.listen(0, "127.0.0.1", () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}
