/**
 * The tslab kernel process: spawned as its own process-group leader under a watchdog, so that
 * neither it nor anything a cell started outlives esmlab — on normal exit, on a signal, or
 * when esmlab itself is SIGKILLed.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, writeFile } from "node:fs/promises";
import { type AddressInfo, createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PACKAGE_ROOT } from "../version.js";

/** A fresh kernel connection (jupyter-client.readthedocs.io/en/latest/kernels.html#connection-files). */
export interface Connection {
  /** temporary folder holding the connection file; remove it after the kernel */
  dir: string;
  file: string;
  key: string;
  shellPort: number;
  iopubPort: number;
}

/** Writes a connection file with five free localhost ports and a random HMAC-SHA256 key. */
export async function writeConnectionFile(): Promise<Connection> {
  const [shellPort, iopubPort, controlPort, stdinPort, hbPort] = await freePorts(5);
  const key = randomBytes(32).toString("hex");
  const dir = await mkdtemp(join(tmpdir(), "esmlab-kernel-"));
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
  );
  return { dir, file, key, shellPort: shellPort!, iopubPort: iopubPort! };
}

/**
 * Spawns the project-local tslab kernel on a connection file.
 *
 * @param cwd the kernel's working directory (tslab also makes it the compiler's rootDir)
 */
export function spawnKernel(
  connectionFile: string,
  cwd: string,
  env: Record<string, string> = {},
): ChildProcess {
  installExitHook();
  const tslabMain = join(PACKAGE_ROOT, "node_modules", "tslab", "dist", "main.js");
  // The kernel runs under a small wrapper whose worker thread blocks reading stdin and kills
  // the process group when it closes: when esmlab dies, even by SIGKILL, the pipe closes and
  // the kernel goes too — also while a cell spins in a loop (the worker has its own thread).
  const watchdog = [
    "const fs = require('fs'); const b = Buffer.alloc(64); const w = new Int32Array(new SharedArrayBuffer(4));",
    "for (;;) { try { if (fs.readSync(0, b, 0, 64, null) === 0) break; }",
    "  catch (e) { if (e.code === 'EAGAIN') { Atomics.wait(w, 0, 0, 100); continue; } break; } }",
    "try { process.kill(-process.pid, 'SIGKILL'); } catch {} process.kill(process.pid, 'SIGKILL');",
  ].join("\n");
  const wrapper = [
    `new (require("worker_threads").Worker)(${JSON.stringify(watchdog)}, { eval: true }).unref();`,
    `process.argv = [process.argv[0], "tslab", "kernel", "--config-path", ${JSON.stringify(connectionFile)}];`,
    `require(${JSON.stringify(tslabMain)}).main();`,
  ].join("\n");
  const child = spawn(process.execPath, ["-e", wrapper], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ["pipe", "pipe", "pipe"],
    detached: process.platform !== "win32", // its own process group, see signalGroup
  });
  live.add(child);
  child.on("exit", () => live.delete(child));
  child.stdin?.on("error", () => undefined);
  return child;
}

/** Live kernels, killed on exit so that a kernel never outlives esmlab. */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const child of live) signalGroup(child, "SIGKILL");
  });
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

/** Kills every kernel this process started (for signal handlers of the CLI). */
export function killAllKernels(): void {
  for (const child of live) signalGroup(child, "SIGKILL");
  live.clear();
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
