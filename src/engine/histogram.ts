/**
 * A fixed-size log-linear histogram for latencies (the layout of Gil Tene's HdrHistogram with
 * 7 sub-bucket bits): values are counted in units of 100 µs; below 256 units each unit is its
 * own bin, above it every power of two is split into 128 bins, so a bin is at most 1/128
 * (0.78 %) of its value wide. 6016 bins cover 0 to 2^53 units; memory is 48 KB whatever the
 * number of values — per-record latencies never become per-record objects.
 *
 * {@link LatencyHistogram.addArithmetic} adds a whole arithmetic run of values in
 * O(bins touched), which is how a batch of evenly spaced records is recorded at once.
 *
 * @example
 * const h = new LatencyHistogram();
 * h.add(3); h.add(6);
 * h.count; // 2
 * h.quantile(0.5); // ≈ 3 (within 0.78 %)
 */
export class LatencyHistogram {
  /** Width of the finest bin, seconds. */
  static readonly unitSec = 1e-4;
  /** Largest relative bin width. */
  static readonly relativePrecision = 1 / 128;
  private static readonly bins = 256 + 45 * 128;

  private readonly counts = new Float64Array(LatencyHistogram.bins);
  count = 0;
  sumSec = 0;
  minSec = Number.POSITIVE_INFINITY;
  maxSec = Number.NEGATIVE_INFINITY;

  /** Count one value (seconds; negative values count as 0). */
  add(valueSec: number): void {
    const v = valueSec > 0 ? valueSec : 0;
    this.counts[binOf(Math.floor(v / LatencyHistogram.unitSec))]! += 1;
    this.count += 1;
    this.sumSec += v;
    if (v < this.minSec) this.minSec = v;
    if (v > this.maxSec) this.maxSec = v;
  }

  /**
   * Count `n` values `firstSec + j × stepSec` for j = 0…n−1 (`stepSec` ≥ 0), in O(bins touched).
   * @throws RangeError when stepSec is negative
   */
  addArithmetic(firstSec: number, stepSec: number, n: number): void {
    if (n <= 0) return;
    if (stepSec < 0) throw new RangeError(`stepSec must be >= 0, got ${stepSec}`);
    const unit = LatencyHistogram.unitSec;
    const first = firstSec > 0 ? firstSec : 0;
    const last = first + stepSec * (n - 1);
    this.count += n;
    this.sumSec += n * first + (stepSec * n * (n - 1)) / 2;
    if (first < this.minSec) this.minSec = first;
    if (last > this.maxSec) this.maxSec = last;
    if (stepSec === 0) {
      this.counts[binOf(Math.floor(first / unit))]! += n;
      return;
    }
    let j = 0;
    while (j < n) {
      const b = binOf(Math.floor((first + stepSec * j) / unit));
      const upperSec = binUpper(b) * unit;
      // first index whose value reaches the next bin; at least one value per step
      let end = Math.ceil((upperSec - first) / stepSec);
      if (end <= j) end = j + 1;
      if (end > n) end = n;
      this.counts[b]! += end - j;
      j = end;
    }
  }

  /**
   * The value below which a fraction `q` of the counted values lie (the middle of the bin that
   * holds rank ⌈q·count⌉, clamped to the exact min and max); NaN when empty.
   */
  quantile(q: number): number {
    if (this.count === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    const counts = this.counts;
    for (let b = 0; b < counts.length; b++) {
      seen += counts[b]!;
      if (seen >= rank) {
        const mid = ((binLower(b) + binUpper(b)) / 2) * LatencyHistogram.unitSec;
        return Math.min(this.maxSec, Math.max(this.minSec, mid));
      }
    }
    return this.maxSec;
  }

  /** Mean of the counted values, NaN when empty. */
  mean(): number {
    return this.count === 0 ? Number.NaN : this.sumSec / this.count;
  }
}

function binOf(units: number): number {
  if (units < 256) return units;
  const e = units < 2147483648 ? 31 - Math.clz32(units) : Math.floor(Math.log2(units));
  if (e > 52) return 256 + 45 * 128 - 1;
  const sub = Math.floor(units / 2 ** (e - 7)) - 128;
  return 256 + (e - 8) * 128 + sub;
}

function binLower(b: number): number {
  if (b < 256) return b;
  const e = 8 + Math.floor((b - 256) / 128);
  return (128 + ((b - 256) % 128)) * 2 ** (e - 7);
}

function binUpper(b: number): number {
  if (b < 256) return b + 1;
  const e = 8 + Math.floor((b - 256) / 128);
  return binLower(b) + 2 ** (e - 7);
}
