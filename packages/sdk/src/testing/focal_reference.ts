// Keras 3's focal cross-entropies, Dice and Tversky written as plainly as its Python (sigmoid or
// softmax first, then clip, then the formula), in float64: the reference for kerasm's kernels.
import type { BinaryFocalOptions, CategoricalFocalOptions, OverlapCoefficients } from '../backend/backend.js';

const EPS = 1e-7;
const clip = (p: number) => Math.min(Math.max(p, EPS), 1 - EPS);

/** Per-element binary focal cross-entropy terms (before any mean). */
export function binaryFocalTerms(y: readonly number[], t: readonly number[], o: BinaryFocalOptions): number[] {
  return y.map((yi, i) => {
    const ti = t[i] * (1 - o.labelSmoothing) + 0.5 * o.labelSmoothing;
    const p = o.fromLogits ? 1 / (1 + Math.exp(-yi)) : yi;
    const bce = -(ti * Math.log(clip(p)) + (1 - ti) * Math.log(1 - clip(p)));
    const pt = ti * p + (1 - ti) * (1 - p);
    const weight = o.applyClassBalancing ? ti * o.alpha + (1 - ti) * (1 - o.alpha) : 1;
    return weight * (1 - pt) ** o.gamma * bce;
  });
}

/** Categorical focal cross-entropy of each row of `cols` values (summed over the classes). */
export function categoricalFocalRows(y: readonly number[], t: readonly number[], cols: number, o: CategoricalFocalOptions): number[] {
  return Array.from({ length: y.length / cols }, (_, r) => {
    let row = y.slice(r * cols, (r + 1) * cols);
    if (o.fromLogits) {
      const e = row.map(Math.exp);
      row = e.map((v) => v / e.reduce((a, b) => a + b, 0));
    }
    const sum = row.reduce((a, b) => a + b, 0);
    return row.reduce((loss, v, c) => {
      const q = clip(v / sum);
      const tc = t[r * cols + c] * (1 - o.labelSmoothing) + o.labelSmoothing / cols;
      return loss + o.alpha * (1 - q) ** o.gamma * -tc * Math.log(q);
    }, 0);
  });
}

/** Dice (no Tversky α, β) or Tversky over all the values, with Keras' own TP, FP and FN sums. */
export function overlapReference(y: readonly number[], t: readonly number[], tversky?: { alpha: number; beta: number }): number {
  const tp = y.reduce((s, v, i) => s + v * t[i], 0);
  if (!tversky) return 1 - (2 * tp) / (t.reduce((a, b) => a + b, 0) + y.reduce((a, b) => a + b, 0) + EPS);
  const fp = y.reduce((s, v, i) => s + (1 - v) * t[i], 0);
  const fn = y.reduce((s, v, i) => s + v * (1 - t[i]), 0);
  return 1 - tp / (tp + fp * tversky.alpha + fn * tversky.beta + EPS);
}

/** The kernel coefficients of Dice or Tversky, for calling the backend directly. */
export function overlapCoefficientsOf(tversky?: { alpha: number; beta: number }): OverlapCoefficients {
  return tversky ? { numerator: 1, truePositives: 1 - tversky.alpha - tversky.beta, targets: tversky.alpha, predictions: tversky.beta } : { numerator: 2, truePositives: 0, targets: 1, predictions: 1 };
}
