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
import { SERIES_COLUMNS, type RunSeries, type SeriesColumn } from "../run/run.js";

export class SeriesRecorder {
  private readonly produced = new F64Vector(1024);
  private readonly processed = new F64Vector(1024);
  private readonly invocations = new F64Vector(1024);
  private readonly concurrency = new F64Vector(1024);
  private readonly lag = new F64Vector(1024);
  private readonly pollerCounts = new F64Vector(1024);
  private readonly errors = new F64Vector(1024);
  private readonly throttles = new F64Vector(1024);
  private bucket = 0;
  private producedSoFar = 0;
  private inflight = 0;
  private pollers = 0;
  /** Records successfully processed so far. */
  processedTotal = 0;

  /**
   * @param resolutionSec interval length
   * @param producedBefore records produced strictly before t (non-decreasing t)
   * @param initialLag records in the topic at the start
   */
  constructor(
    private readonly resolutionSec: number,
    private readonly producedBefore: (t: number) => number,
    private readonly initialLag: number,
  ) {
    this.open(0);
  }

  /** Close every interval that ends at or before t. */
  advance(t: number): void {
    const b = Math.floor(t / this.resolutionSec);
    while (this.bucket < b) {
      this.close(this.bucket);
      this.open(++this.bucket);
    }
  }

  setInflight(n: number): void {
    this.inflight = n;
    if (n > this.concurrency.get(this.bucket)) this.concurrency.set(this.bucket, n);
  }

  setPollers(n: number): void {
    this.pollers = n;
  }

  invocation(): void {
    this.invocations.set(this.bucket, this.invocations.get(this.bucket) + 1);
  }

  /** An invocation that started at `startSec` failed. */
  error(startSec: number): void {
    const b = Math.floor(startSec / this.resolutionSec);
    this.errors.set(b, this.errors.get(b) + 1);
  }

  throttle(): void {
    this.throttles.set(this.bucket, this.throttles.get(this.bucket) + 1);
  }

  processedRecords(n: number): void {
    this.processed.set(this.bucket, this.processed.get(this.bucket) + n);
    this.processedTotal += n;
  }

  /** Close the interval holding `endSec` and return the series. */
  finish(endSec: number): RunSeries {
    this.advance(endSec);
    this.close(this.bucket);
    const length = this.bucket + 1;
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
      errors: this.errors.toArray(),
      throttles: this.throttles.toArray(),
    };
    for (const c of SERIES_COLUMNS) if (columns[c].length !== length) throw new Error(`column ${c} length`);
    return { length, columns, extra: {} };
  }

  private open(b: number): void {
    for (const v of [this.produced, this.processed, this.invocations, this.errors, this.throttles]) {
      v.ensureLength(b + 1, 0);
    }
    this.concurrency.ensureLength(b + 1, 0);
    this.concurrency.set(b, this.inflight);
    this.lag.ensureLength(b + 1, 0);
    this.pollerCounts.ensureLength(b + 1, 0);
  }

  private close(b: number): void {
    const total = this.producedBefore((b + 1) * this.resolutionSec);
    this.produced.set(b, total - this.producedSoFar);
    this.producedSoFar = total;
    this.lag.set(b, this.initialLag + total - this.processedTotal);
    this.pollerCounts.set(b, this.pollers);
  }
}
