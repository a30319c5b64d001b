import { classesOf, float32Threshold, weightAt, type MetricBatch } from './metric.js';

/** Where an output falls among a metric's sorted thresholds: how many of them it is above. */
export type ThresholdPlacement = (value: number) => number;

/**
 * Keras' `n` evenly spaced thresholds over [0, 1] (its `thresholds_distributed_evenly` path, which
 * AUC and the metrics read off its curve take): the output is clipped to [0, 1] first, so a linear or
 * logit output below 0 is above no threshold and one above 1 is above every one but the last, and
 * it is bucketed as Keras does, ceil(p·(n − 1)) − 1 in float32. With `margin` (AUC's thresholds
 * −ε and 1 + ε) an output of 0 is above the first threshold.
 */
export function evenlySpacedThresholds(n: number, margin: boolean): ThresholdPlacement {
  const steps = n - 1;
  return (value) => {
    // NaN is above none: Keras' bucket index for it is cast to a negative integer, which it drops.
    if (Number.isNaN(value)) return 0;
    const bucket = Math.ceil(Math.fround(Math.min(Math.max(value, 0), 1) * steps)) - 1;
    return (margin ? Math.max(bucket, 0) : bucket) + 1;
  };
}

/** One threshold compared as it is, `p > t` with t in float32 (Keras' path for one threshold); NaN is above none. */
export function singleThreshold(threshold: number): ThresholdPlacement {
  const t = float32Threshold(threshold);
  return (value) => (value > t ? 1 : 0);
}

/**
 * Confusion counts at each of `n` sorted thresholds, accumulated over the epoch: an output is a
 * predicted positive at the thresholds it is above (as `placement` says), and its target counts as
 * positive when non-zero (Keras casts it to bool). Shared by AUC and the metrics read off its curve.
 */
export class ThresholdCounts {
  readonly tp: Float64Array;
  readonly fp: Float64Array;
  readonly tn: Float64Array;
  readonly fn: Float64Array;
  // Per batch: how many outputs exceed exactly k thresholds, for positive and negative targets.
  readonly #positives: Float64Array;
  readonly #negatives: Float64Array;
  readonly #placement: ThresholdPlacement;

  /** `n` thresholds, `placement` saying how many an output is above; `classId`: only that output column counts (one class of a multi-label output). */
  constructor(readonly name: string, n: number, placement: ThresholdPlacement, readonly classId?: number) {
    this.#placement = placement;
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
      (b.hostTargets[i] !== 0 ? this.#positives : this.#negatives)[this.#placement(p[i])] += weightAt(weights, Math.floor(i / cols));
    }
    // An output above k thresholds is a predicted positive at thresholds 0 … k − 1.
    const positives = this.#positives.reduce((a, v) => a + v, 0);
    const negatives = this.#negatives.reduce((a, v) => a + v, 0);
    let positivesAbove = 0;
    let negativesAbove = 0;
    for (let k = this.tp.length - 1; k >= 0; k--) {
      positivesAbove += this.#positives[k + 1];
      negativesAbove += this.#negatives[k + 1];
      this.tp[k] += positivesAbove;
      this.fp[k] += negativesAbove;
      this.fn[k] += positives - positivesAbove;
      this.tn[k] += negatives - negativesAbove;
    }
  }
}
