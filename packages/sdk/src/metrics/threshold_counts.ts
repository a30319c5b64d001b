import { classesOf, weightAt, type MetricBatch } from './metric.js';

/** Keras' `n` evenly spaced thresholds: 0 − margin, i/(n − 1) for 0 < i < n − 1, and 1 + margin. */
export function evenThresholds(n: number, margin = 0): number[] {
  return [-margin, ...Array.from({ length: n - 2 }, (_, i) => (i + 1) / (n - 1)), 1 + margin];
}

/**
 * Confusion counts at each of a sorted list of thresholds, accumulated over the epoch: an output
 * is a predicted positive at threshold t when it is > t, and its target counts as positive when
 * non-zero (Keras casts it to bool). Shared by AUC and the metrics read off its curve.
 */
export class ThresholdCounts {
  readonly tp: Float64Array;
  readonly fp: Float64Array;
  readonly tn: Float64Array;
  readonly fn: Float64Array;
  // Per batch: how many outputs exceed exactly k thresholds, for positive and negative targets.
  readonly #positives: Float64Array;
  readonly #negatives: Float64Array;

  /** `classId`: only that output column counts (one class of a multi-label output). */
  constructor(readonly name: string, readonly thresholds: readonly number[], readonly classId?: number) {
    const n = thresholds.length;
    [this.tp, this.fp, this.tn, this.fn] = [new Float64Array(n), new Float64Array(n), new Float64Array(n), new Float64Array(n)];
    [this.#positives, this.#negatives] = [new Float64Array(n + 1), new Float64Array(n + 1)];
  }

  reset(): void {
    for (const a of [this.tp, this.fp, this.tn, this.fn]) a.fill(0);
  }

  async update(b: MetricBatch): Promise<void> {
    if (b.labelTargets) {
      throw new Error(`Metric '${this.name}' compares each output with a 0/1 target of the same shape, but the loss takes integer labels. Use binary targets (e.g. loss 'binaryCrossentropy'), or one-hot rows with classId.`);
    }
    const [p, weights] = await Promise.all([b.hostOutputs(), b.hostWeights()]);
    const cols = classesOf(b);
    const { classId } = this;
    if (classId !== undefined && classId >= cols) {
      throw new Error(`Metric '${this.name}': classId must be an output column in [0, ${cols - 1}]. Received: classId=${classId}.`);
    }
    this.#positives.fill(0);
    this.#negatives.fill(0);
    for (let i = 0; i < p.length; i++) {
      if (classId !== undefined && i % cols !== classId) continue;
      (b.hostTargets[i] !== 0 ? this.#positives : this.#negatives)[this.#thresholdsBelow(p[i])] += weightAt(weights, Math.floor(i / cols));
    }
    // An output above k thresholds is a predicted positive at thresholds 0 … k − 1.
    const positives = this.#positives.reduce((a, v) => a + v, 0);
    const negatives = this.#negatives.reduce((a, v) => a + v, 0);
    let positivesAbove = 0;
    let negativesAbove = 0;
    for (let k = this.thresholds.length - 1; k >= 0; k--) {
      positivesAbove += this.#positives[k + 1];
      negativesAbove += this.#negatives[k + 1];
      this.tp[k] += positivesAbove;
      this.fp[k] += negativesAbove;
      this.fn[k] += positives - positivesAbove;
      this.tn[k] += negatives - negativesAbove;
    }
  }

  /** How many thresholds are < value (0 for NaN, which exceeds none). */
  #thresholdsBelow(value: number): number {
    let lo = 0;
    let hi = this.thresholds.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.thresholds[mid] < value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
