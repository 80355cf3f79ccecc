/**
 * A headless client of the tslab kernel esmlab depends on: spawns it with a fresh connection file
 * and speaks the Jupyter messaging protocol (v5.3) over zeromq — no Python, no jupyter_client.
 *
 * ```
 * spawn tslab ─▶ kernel_info (until iopub answers) ─▶ execute … ─▶ close (SIGKILL)
 *   shell: Dealer ⇄ kernel Router    iopub: Subscriber ◀ kernel Publisher
 * ```
 *
 * The wire format is in wire.ts, the process and its clean-up in kernel-process.ts, the
 * mapping of tslab's outputs to nbformat in outputs.ts.
 *
 * tslab's quirks, mapped here (docs/toolchain.md, "tslab"):
 * - a cell's last value is `console.log`ged to stdout, indistinguishable from the cell's own
 *   prints, so it is kept as the stdout stream output it is — never guessed into an
 *   `execute_result`;
 * - a failure is a bare `status: "error"` reply; the message is the cell's last stderr write
 *   (a thrown value's `util.inspect`) or its trailing `line:col - message` compile diagnostics,
 *   turned here into a proper `error` output;
 * - after an error tslab aborts every request arriving within 200 ms, so the next request
 *   waits {@link ABORT_WINDOW_MS};
 * - interrupt is SIGINT (tslab runs cells with `breakOnSigint` and races awaits against it).
 */
import type { ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { Dealer, Subscriber } from "zeromq";
import { EsmlabError } from "../util/errors.js";
import {
  type Connection,
  removeConnection,
  signalGroup,
  spawnKernel,
  writeConnectionFile,
} from "./kernel-process.js";
import type { Json, Output } from "./nbformat.js";
import { type CellEnd, cellOutputs, outputOf } from "./outputs.js";
import { decodeMessage, encodeMessage, type Message } from "./wire.js";

/** tslab drops requests for 200 ms after an error; wait a little longer. */
export const ABORT_WINDOW_MS = 250;
/**
 * How long a live kernel may take to answer its first kernel_info_request. A kernel that dies
 * while starting is reported at once (its exit is watched), so this only bounds one that hangs;
 * it is generous because tslab takes 2 s idle and over 30 s on a loaded 2-core machine.
 */
const START_TIMEOUT_MS = 120_000;
/** While starting, how often the kernel is asked whether it is up. */
const READY_RETRY_MS = 500;
/** Once the kernel has answered on shell, how often it is asked again until iopub has joined. */
const REJOIN_MS = 20;
/** After an interrupt, how long the kernel has to answer before it is killed. */
const INTERRUPT_GRACE_MS = 2_000;

/** Options of {@link startKernel}. */
export interface KernelOptions {
  /** working directory of the kernel (tslab also makes it the compiler's rootDir) */
  cwd: string;
  /** extra environment variables */
  env?: Record<string, string>;
  /**
   * @internal for tests: a command run instead of tslab (`{connection_file}` replaced), such as
   * one that exits at once
   */
  argv?: readonly string[];
}

/** Result of one {@link Kernel.execute}. */
export interface ExecuteResult {
  status: "ok" | "error" | "timeout";
  /** the kernel's execution counter; null when the request never ran */
  executionCount: number | null;
  outputs: Output[];
  /** header.date of iopub execute_input / shell execute_reply (ISO 8601), as Jupyter records */
  startedAt: string;
  endedAt: string;
  /** wall-clock duration measured by esmlab, ms */
  durationMs: number;
  /** what ended a timed-out cell: the kernel answered the interrupt, or was killed */
  timeoutAction?: "interrupted" | "killed";
}

interface Pending {
  onIopub(msg: Message): void;
  onReply(msg: Message): void;
}

/**
 * Starts the tslab kernel and waits until it answers on shell and iopub.
 *
 * @throws EsmlabError when tslab is not installed, exits early or does not answer in 30 s: as
 *   soon as the kernel process exits, not after the 30 s
 * @example
 * const kernel = await startKernel({ cwd: "notebooks" });
 * try { (await kernel.execute("1 + 1", 10_000)).outputs; } finally { await kernel.close(); }
 * // → [{ output_type: "stream", name: "stdout", text: "2\n" }]
 */
export async function startKernel(options: KernelOptions): Promise<Kernel> {
  const conn = await writeConnectionFile();
  const child = spawnKernel(conn.file, options.cwd, options.env, options.argv);
  const kernel = new Kernel(child, conn);
  try {
    await kernel.waitReady(START_TIMEOUT_MS);
  } catch (err) {
    await kernel.close();
    throw err;
  }
  return kernel;
}

/** A running tslab kernel. Create with {@link startKernel}; always {@link Kernel.close}. */
export class Kernel {
  readonly session = randomUUID();
  // linger 0: a request queued for a kernel that never came up must not keep the process
  // alive after close (zeromq's default waits for it to be delivered, forever)
  private readonly shell = new Dealer({ linger: 0 });
  private readonly iopub = new Subscriber({ linger: 0 });
  private readonly pending = new Map<string, Pending>();
  private log = "";
  private exited: string | null = null;
  private lastErrorAt = -Infinity;
  private closed = false;
  /** language_info from kernel_info_reply */
  languageInfo: Record<string, Json> = {};

  private readonly key: string;
  private readonly gone: Promise<void>;

  constructor(
    private readonly child: ChildProcess,
    private readonly conn: Connection,
  ) {
    this.key = conn.key;
    child.stdout?.on("data", (b: Buffer) => this.keepLog(b));
    child.stderr?.on("data", (b: Buffer) => this.keepLog(b));
    // every wait of this class ends when the process does: a kernel that dies at start or in a
    // cell (process.exit) is reported at once, not after a time limit
    this.gone = new Promise((resolve) => {
      const died = (how: string) => {
        if (this.exited !== null) return;
        this.exited = how;
        for (const p of this.pending.values()) p.onReply(exitMessage());
        resolve();
      };
      child.once("exit", (code, signal) =>
        died(signal ? `killed by ${signal}` : `exited with code ${code}`),
      );
      child.once("error", (err) => died(`could not be started (${err.message})`));
    });
    this.shell.connect(`tcp://127.0.0.1:${conn.shellPort}`);
    this.iopub.connect(`tcp://127.0.0.1:${conn.iopubPort}`);
    this.iopub.subscribe();
    void this.pump(this.shell, (m) => this.pending.get(m.parent_header.msg_id ?? "")?.onReply(m));
    void this.pump(this.iopub, (m) => this.pending.get(m.parent_header.msg_id ?? "")?.onIopub(m));
  }

  /** The kernel's own stdout/stderr (outside cells), for error messages. */
  get output(): string {
    return this.log;
  }

  /** How the kernel process ended (`exited with code 3`, `killed by SIGKILL`), or null. */
  get exitStatus(): string | null {
    return this.exited;
  }

  /**
   * Sends kernel_info_request until both a reply and an iopub message of one arrive: a
   * subscriber misses what is published before its connection is up (zeromq's slow joiner).
   * Every request stays answerable until the end: zeromq queues those sent before the kernel
   * listens and delivers them all at once, so the first reply usually answers an early
   * request. Once the kernel has replied, it is asked again every {@link REJOIN_MS} until
   * iopub has joined, instead of waiting out a whole retry period.
   */
  async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const ids: string[] = [];
    let reply: Message | undefined;
    let iopub = false;
    let wake: (() => void) | undefined;
    const handlers: Pending = {
      onIopub: () => {
        iopub = true;
        wake?.();
      },
      onReply: (m) => {
        if (m.header.msg_type !== "esmlab_exit") reply ??= m;
        wake?.();
      },
    };
    try {
      for (;;) {
        if (this.exited) {
          const why = lastErrorLine(this.log);
          throw new EsmlabError(
            `tslab kernel ${this.exited}${this.exited.startsWith("could not") ? "" : " while starting"}${why === "" ? "" : ` (${why})`}`,
          );
        }
        if (reply && iopub) {
          const info = reply.content.language_info;
          if (info && typeof info === "object") this.languageInfo = info as Record<string, Json>;
          return;
        }
        if (Date.now() > deadline) {
          throw new EsmlabError(`tslab kernel did not answer within ${timeoutMs / 1000} s`);
        }
        const id = randomUUID();
        ids.push(id);
        this.pending.set(id, handlers);
        void this.send(id, "kernel_info_request", {});
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, reply ? REJOIN_MS : READY_RETRY_MS);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
    } finally {
      for (const id of ids) this.pending.delete(id);
    }
  }

  /**
   * Executes one cell and collects its outputs until the kernel is idle again.
   * On timeout the kernel is interrupted (SIGINT); if it does not answer within 2 s it is
   * killed, and this kernel can run nothing more.
   *
   * @param code the cell's source
   * @param timeoutMs per-cell limit, ms
   */
  async execute(code: string, timeoutMs: number): Promise<ExecuteResult> {
    if (this.exited) throw new EsmlabError(`tslab kernel ${this.exited}`);
    const wait = this.lastErrorAt + ABORT_WINDOW_MS - Date.now();
    if (wait > 0) await sleep(wait);
    const id = randomUUID();
    const t0 = performance.now();
    const run = new CellRun(timeoutMs, {
      signal: (signal) => signalGroup(this.child, signal),
      exitHow: () => this.exited ?? "ended",
    });
    this.pending.set(id, run);
    void this.send(id, "execute_request", {
      code,
      silent: false,
      store_history: true,
      user_expressions: {},
      allow_stdin: false,
      stop_on_error: true,
    });
    await run.finished;
    this.pending.delete(id);
    const durationMs = Math.round((performance.now() - t0) * 1000) / 1000;
    const { status, outputs } = run.outputs();
    if (status !== "ok") this.lastErrorAt = Date.now();
    return {
      status,
      outputs,
      executionCount: run.executionCount,
      startedAt: run.startedAt,
      endedAt: run.endedAt,
      durationMs,
      ...(run.phase === "running" ? {} : { timeoutAction: run.phase }),
    };
  }

  /**
   * Stops the kernel (SIGKILL: tslab keeps no state worth a graceful shutdown) with what its
   * cells started, and removes its connection file. Idempotent.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // also when the kernel died by itself: a process a cell started may live on in its group
    if (this.child.pid !== undefined) signalGroup(this.child, "SIGKILL");
    await this.gone;
    this.shell.close();
    this.iopub.close();
    await removeConnection(this.conn);
  }

  private keepLog(b: Buffer): void {
    // only the tail matters for an error message
    this.log = (this.log + b.toString("utf8")).slice(-4000);
  }

  private async send(id: string, msgType: string, content: Record<string, unknown>) {
    const frames = encodeMessage(this.key, { id, msgType, session: this.session, content });
    await this.shell.send(frames).catch(() => undefined);
  }

  private async pump(sock: Dealer | Subscriber, deliver: (m: Message) => void): Promise<void> {
    for (;;) {
      let frames: Buffer[];
      try {
        frames = await sock.receive();
      } catch {
        return; // socket closed
      }
      const msg = decodeMessage(this.key, frames);
      if (msg) deliver(msg);
    }
  }
}

/**
 * Where one cell's execution is. The phase moves one way, each step on a timer:
 *
 * ```
 * running ──time limit──▶ interrupted (SIGINT) ──INTERRUPT_GRACE_MS──▶ killed (SIGKILL)
 * ```
 *
 * and in any phase the cell is over once the kernel has replied on shell and said idle on
 * iopub (the two arrive on separate sockets, in either order), or its process has ended. A
 * reply whose idle never comes ends the cell at the next timer. Nothing is re-registered: the
 * kernel's messages for this request reach this object whatever the phase.
 */
class CellRun implements Pending {
  phase: "running" | "interrupted" | "killed" = "running";
  /** how the cell ended, once the kernel replied or died */
  end: CellEnd | null = null;
  idle = false;
  executionCount: number | null = null;
  /** header.date of iopub execute_input / shell execute_reply (ISO 8601), as Jupyter records */
  startedAt = new Date().toISOString();
  endedAt = this.startedAt;
  readonly finished: Promise<void>;
  private readonly collected: Output[] = [];
  private resolve: () => void = () => {};
  private timer: ReturnType<typeof setTimeout>;

  constructor(
    private readonly timeoutMs: number,
    private readonly kernel: {
      signal(signal: NodeJS.Signals): void;
      /** why the kernel process ended, as `Kernel.exited` reads */
      exitHow(): string;
    },
  ) {
    this.finished = new Promise((resolve) => {
      this.resolve = resolve;
    });
    this.timer = setTimeout(() => this.step(), timeoutMs);
  }

  onIopub(m: Message): void {
    const c = m.content;
    switch (m.header.msg_type) {
      case "status":
        if (c.execution_state === "busy" && m.header.date) this.startedAt = m.header.date;
        if (c.execution_state === "idle") {
          this.idle = true;
          this.settle();
        }
        return;
      case "execute_input":
        if (m.header.date) this.startedAt = m.header.date;
        return;
      default: {
        const output = outputOf(m.header.msg_type, c);
        if (output !== null) this.collected.push(output);
      }
    }
  }

  onReply(m: Message): void {
    if (m.header.msg_type === "esmlab_exit") {
      this.end = { kind: "exit", how: this.kernel.exitHow() };
      this.done();
      return;
    }
    this.end = { kind: "reply", status: String(m.content.status) };
    if (typeof m.content.execution_count === "number")
      this.executionCount = m.content.execution_count;
    if (m.header.date) this.endedAt = m.header.date;
    this.settle();
  }

  /** The cell's status and nbformat outputs; call once {@link finished} has resolved. */
  outputs(): { status: ExecuteResult["status"]; outputs: Output[] } {
    const end = this.end ?? { kind: "exit", how: this.kernel.exitHow() };
    return cellOutputs(
      this.collected,
      end,
      this.phase === "running" ? undefined : { timeoutMs: this.timeoutMs, action: this.phase },
    );
  }

  /** The time limit, then the interrupt's grace period, passed. */
  private step(): void {
    if (this.end !== null) {
      this.done(); // replied, idle never came: nothing more to wait for
      return;
    }
    if (this.phase === "running") {
      this.phase = "interrupted";
      this.kernel.signal("SIGINT");
      this.timer = setTimeout(() => this.step(), INTERRUPT_GRACE_MS);
    } else if (this.phase === "interrupted") {
      this.phase = "killed";
      this.kernel.signal("SIGKILL"); // its exit ends the cell
    }
  }

  private settle(): void {
    if (this.end !== null && this.idle) this.done();
  }

  private done(): void {
    clearTimeout(this.timer);
    this.resolve();
  }
}

/**
 * The line of a dead kernel's output that says why, for a one-line message: the last
 * `SomeError: …` line (Node prints the thrown error after its source banner), else the last
 * non-blank line; at most 200 characters.
 */
function lastErrorLine(log: string): string {
  const lines = log
    .split(/\r?\n|[\r\u2028\u2029]/)
    .map((l) => l.trim())
    .filter((l) => l !== "");
  const errors = lines.filter((l) => /^(?:[A-Za-z_$][\w$]*)?(?:Error|Exception)\b/.test(l));
  const line = errors.at(-1) ?? lines.at(-1);
  if (line === undefined) return "";
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

function exitMessage(): Message {
  return { header: { msg_id: "", msg_type: "esmlab_exit" }, parent_header: {}, content: {} };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
