/**
 * Accumulates a simulation into the Run's interval series as events happen, in O(1) per event
 * plus O(1) per interval: counts go to the interval of their event, `concurrency` keeps the
 * interval's maximum, `lag` and `pollers` are sampled when an interval closes.
 *
 * Invocations and errors are counted in the interval where the invocation *started*, as
 * CloudWatch timestamps Lambda metrics at invocation start; processed records count when their
 * batch completes (the offset commit).
 */
import { F64Vector } from "../engine/buffers.js";
import { type RunSeries, SERIES_COLUMNS, type SeriesColumn } from "../run/run.js";
import { WorkLimitExceeded } from "./budget.js";

export class SeriesRecorder {
  private readonly produced = new F64Vector(1024);
  private readonly processed = new F64Vector(1024);
  private readonly invocations = new F64Vector(1024);
  private readonly concurrency = new F64Vector(1024);
  private readonly lag = new F64Vector(1024);
  private readonly pollerCounts = new F64Vector(1024);
  private readonly errors = new F64Vector(1024);
  private readonly throttles = new F64Vector(1024);
  // the open interval's counters live in fields (the per-event path touches no vector)
  private bucket = 0;
  private nextBoundarySec: number;
  private curProcessed = 0;
  private curInvocations = 0;
  private curThrottles = 0;
  private curMaxInflight = 0;
  private producedSoFar = 0;
  private inflight = 0;
  private pollers = 0;
  /** Records successfully processed so far. */
  processedTotal = 0;

  /**
   * @param resolutionSec interval length
   * @param producedBefore records produced strictly before t (non-decreasing t)
   * @param initialLag records in the topic at the start
   * @param maxRows stop with {@link WorkLimitExceeded} beyond this many rows (default: no limit)
   */
  constructor(
    private readonly resolutionSec: number,
    private readonly producedBefore: (t: number) => number,
    private readonly initialLag: number,
    private readonly maxRows: number = Number.POSITIVE_INFINITY,
  ) {
    this.nextBoundarySec = resolutionSec;
  }

  /** Close every interval that ends at or before t. */
  advance(t: number): void {
    if (t < this.nextBoundarySec) return;
    const b = Math.floor(t / this.resolutionSec);
    if (b >= this.maxRows) throw new WorkLimitExceeded("series rows", this.maxRows, t);
    while (this.bucket < b) {
      this.close();
      this.bucket++;
      this.curMaxInflight = this.inflight;
    }
    this.nextBoundarySec = (b + 1) * this.resolutionSec;
  }

  setInflight(n: number): void {
    this.inflight = n;
    if (n > this.curMaxInflight) this.curMaxInflight = n;
  }

  setPollers(n: number): void {
    this.pollers = n;
  }

  invocation(): void {
    this.curInvocations++;
  }

  /** An invocation that started at `startSec` failed. */
  error(startSec: number): void {
    const b = Math.floor(startSec / this.resolutionSec);
    this.errors.ensureLength(b + 1, 0);
    this.errors.set(b, this.errors.get(b) + 1);
  }

  throttle(): void {
    this.curThrottles++;
  }

  processedRecords(n: number): void {
    this.curProcessed += n;
    this.processedTotal += n;
  }

  /** Close the interval holding `endSec` and return the series. */
  finish(endSec: number): RunSeries {
    this.advance(endSec);
    this.close();
    const length = this.bucket + 1;
    this.errors.ensureLength(length, 0);
    const t = new Float64Array(length);
    for (let i = 0; i < length; i++) t[i] = i * this.resolutionSec;
    const columns: Record<SeriesColumn, Float64Array> = {
      t,
      produced: this.produced.toArray(),
      processed: this.processed.toArray(),
      invocations: this.invocations.toArray(),
      concurrency: this.concurrency.toArray(),
      lag: this.lag.toArray(),
      pollers: this.pollerCounts.toArray(),
      errors: this.errors.toArray().subarray(0, length),
      throttles: this.throttles.toArray(),
    };
    for (const c of SERIES_COLUMNS) {
      if (columns[c].length !== length)
        throw new Error(`internal: column ${c} has ${columns[c].length} rows, not ${length}`);
    }
    return { length, columns, extra: {} };
  }

  /** Write the open interval's figures (rows are appended in order). */
  private close(): void {
    const total = this.producedBefore((this.bucket + 1) * this.resolutionSec);
    this.produced.push(total - this.producedSoFar);
    this.producedSoFar = total;
    this.processed.push(this.curProcessed);
    this.invocations.push(this.curInvocations);
    this.throttles.push(this.curThrottles);
    this.concurrency.push(this.curMaxInflight);
    this.lag.push(this.initialLag + total - this.processedTotal);
    this.pollerCounts.push(this.pollers);
    this.curProcessed = 0;
    this.curInvocations = 0;
    this.curThrottles = 0;
  }
}
