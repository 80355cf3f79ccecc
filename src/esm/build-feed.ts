/**
 * Scenario → the topic's {@link PartitionFeed}: arrival process × partitioner, plus the
 * TRIM_HORIZON backlog. Deterministic arrivals spread round-robin take the closed-form
 * {@link IndexedFeed}; everything else is generated ({@link GeneratedFeed}).
 */
import type { Rng } from "../engine/prng.js";
import {
  ConstantRate,
  type IndexedArrivals,
  poissonArrivals,
  RateSchedule,
  type SequentialArrivals,
  sequentialFrom,
  TraceArrivals,
} from "../kafka/arrivals.js";
import { GeneratedFeed, IndexedFeed, type PartitionFeed } from "../kafka/feed.js";
import {
  keyHashPartitioner,
  keyPartitionShares,
  type RecordPartitioner,
  roundRobinPartitioner,
  zipfPartitioner,
} from "../kafka/partitioner.js";
import type { Scenario } from "../scenario/types.js";

export interface FeedStreams {
  readonly arrivals: Rng;
  readonly keys: Rng;
}

/**
 * Build the feed of a resolved scenario (`traceTimesSec` for a trace workload; `limits` for a
 * generated feed, see {@link GeneratedFeed}).
 */
export function buildFeed(
  sc: Scenario,
  streams: FeedStreams,
  traceTimesSec?: Float64Array,
  limits?: { readonly generated: number; readonly held: number },
): PartitionFeed {
  const P = sc.topic.partitions;
  const part = sc.topic.partitioner;
  const backlog = spreadBacklog(sc);
  const age = sc.topic.backlogAgeSec;
  const w = sc.workload;
  let indexed: IndexedArrivals | null = null;
  let sequential: SequentialArrivals;
  switch (w.kind) {
    case "constant":
      indexed = new ConstantRate(w.ratePerSec, w.durationSec);
      sequential = sequentialFrom(indexed);
      break;
    case "piecewise":
      indexed = new RateSchedule(w.pieces);
      sequential = sequentialFrom(indexed);
      break;
    case "trace":
      indexed = new TraceArrivals(traceTimesSec ?? new Float64Array(0));
      sequential = sequentialFrom(indexed);
      break;
    case "poisson":
      sequential = poissonArrivals(new RateSchedule(w.pieces), streams.arrivals);
      break;
  }
  if (indexed !== null && part.kind === "round-robin")
    return new IndexedFeed(indexed, P, backlog, age);
  let partitioner: RecordPartitioner;
  switch (part.kind) {
    case "round-robin":
      partitioner = roundRobinPartitioner(P);
      break;
    case "key-hash":
      partitioner = keyHashPartitioner({
        partitions: P,
        keySpace: part.keySpace,
        rng: streams.keys,
      });
      break;
    case "zipf":
      partitioner = zipfPartitioner({
        partitions: P,
        keySpace: part.keySpace,
        exponent: part.exponent,
        rng: streams.keys,
      });
      break;
  }
  return new GeneratedFeed(sequential, partitioner, P, backlog, age, limits);
}

/**
 * Records of the initial backlog per partition: the partitioner's expected share of each
 * partition, rounded by largest remainder so the total is exact.
 */
function spreadBacklog(sc: Scenario): Float64Array {
  const P = sc.topic.partitions;
  const total = sc.topic.backlogRecords;
  const out = new Float64Array(P);
  if (total === 0) return out;
  const part = sc.topic.partitioner;
  const shares =
    part.kind === "round-robin"
      ? new Float64Array(P).fill(1 / P)
      : keyPartitionShares({
          partitions: P,
          keySpace: part.keySpace,
          ...(part.kind === "zipf" ? { exponent: part.exponent } : {}),
        });
  let assigned = 0;
  const remainders: { p: number; r: number }[] = [];
  for (let p = 0; p < P; p++) {
    const exact = total * shares[p]!;
    out[p] = Math.floor(exact);
    assigned += out[p]!;
    remainders.push({ p, r: exact - out[p]! });
  }
  remainders.sort((a, b) => b.r - a.r || a.p - b.p);
  for (let i = 0; assigned < total; i++, assigned++) out[remainders[i % P]!.p]!++;
  return out;
}
