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
  private readonly counts = new Float64Array(BINS);
  count = 0;
  sumSec = 0;
  minSec = Number.POSITIVE_INFINITY;
  maxSec = Number.NEGATIVE_INFINITY;

  /** Count one value (seconds; negative values count as 0). */
  add(valueSec: number): void {
    const v = Math.max(valueSec, 0);
    this.counts[binOf(v * UNITS_PER_SEC)]! += 1;
    this.count += 1;
    this.sumSec += v;
    if (v < this.minSec) this.minSec = v;
    if (v > this.maxSec) this.maxSec = v;
  }

  /**
   * Count `n` values `firstSec + j × stepSec` for j = 0…n−1 (`stepSec` ≥ 0), in
   * O(min(n, bins touched)): values are indexed one by one when they are about one per bin,
   * and bins are jumped over with one division each when many values share a bin.
   * @throws RangeError when stepSec is negative
   */
  addArithmetic(firstSec: number, stepSec: number, n: number): void {
    if (n <= 0) return;
    if (stepSec < 0) throw new RangeError(`stepSec must be >= 0, got ${stepSec}`);
    if (firstSec < 0) {
      // values below 0 count as 0, as in add()
      const negatives = stepSec === 0 ? n : Math.min(n, Math.ceil(-firstSec / stepSec));
      for (let j = 0; j < negatives; j++) this.add(firstSec + stepSec * j);
      if (negatives < n) this.addArithmetic(firstSec + stepSec * negatives, stepSec, n - negatives);
      return;
    }
    const first = firstSec;
    const last = first + stepSec * (n - 1);
    this.count += n;
    this.sumSec += n * first + (stepSec * n * (n - 1)) / 2;
    if (first < this.minSec) this.minSec = first;
    if (last > this.maxSec) this.maxSec = last;
    const counts = this.counts;
    let b = binOf(first * UNITS_PER_SEC);
    const bLast = binOf(last * UNITS_PER_SEC);
    if (b === bLast) {
      counts[b]! += n;
      return;
    }
    if ((bLast - b) * 2 >= n) {
      // about one value per bin or fewer: index each value directly (no data-dependent branch)
      for (let j = 0; j < n; j++) counts[binOf((first + stepSec * j) * UNITS_PER_SEC)]!++;
      return;
    }
    // many values per bin: jump from bin to bin, one division each; the division only guesses
    // the first value past the bin, which is then settled with the same binning as add()
    let j = 0;
    while (j < n) {
      let end = Math.ceil((UPPER_SEC[b]! - first) / stepSec);
      if (end > n) end = n;
      while (end > j + 1 && binOf((first + stepSec * (end - 1)) * UNITS_PER_SEC) !== b) end--;
      while (end < n && binOf((first + stepSec * end) * UNITS_PER_SEC) === b) end++;
      if (end <= j) end = j + 1;
      counts[b]! += end - j;
      j = end;
      if (j < n) b = binOf((first + stepSec * j) * UNITS_PER_SEC);
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
        const mid = (LOWER_SEC[b]! + UPPER_SEC[b]!) / 2;
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

const BINS = 256 + 45 * 128;
/** Bin bounds in seconds, computed once. */
const LOWER_SEC = new Float64Array(BINS);
const UPPER_SEC = new Float64Array(BINS);
for (let b = 0; b < BINS; b++) {
  LOWER_SEC[b] = binLower(b) * LatencyHistogram.unitSec;
  UPPER_SEC[b] = b === BINS - 1 ? Number.POSITIVE_INFINITY : binUpper(b) * LatencyHistogram.unitSec;
}

const UNITS_PER_SEC = 1 / LatencyHistogram.unitSec;

/** Bin of a value in units (fractional units are truncated). */
function binOf(value: number): number {
  if (value < 2147483648) {
    const units = value | 0;
    if (units < 256) return units;
    // integer fast path: exponent from the leading zeros, 7 mantissa bits below it
    const e = 31 - Math.clz32(units);
    return 256 + (e - 8) * 128 + ((units >>> (e - 7)) - 128);
  }
  const units = Math.floor(value);
  const e = Math.floor(Math.log2(units));
  if (e > 52) return BINS - 1;
  return 256 + (e - 8) * 128 + (Math.floor(units / 2 ** (e - 7)) - 128);
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
