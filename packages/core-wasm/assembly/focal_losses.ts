// Keras 3's focal cross-entropies: each term of a cross-entropy times (1 − p_t)^γ, so confident,
// correct predictions add little and the hard ones dominate. Sums in f64 and writes
// dLoss/dInput · gradScale when dp ≠ 0, like the other loss kernels (losses.ts); `weights` as there.
import { softmaxRow } from './activations';
import { elementWeight, rowWeight } from './weights';
import { clipBinary, insideBinaryClip } from './binary_clip';

const EPS: f64 = 1e-7;

// The slope γ·base^(γ−1) of base^γ. At base 0 with γ < 1 it is infinite (autodiff gives NaN): 0 keeps
// a sample that is already exactly right from poisoning the step.
// @ts-ignore: decorator
@inline
function powSlope(base: f64, gamma: f64): f64 {
  if (gamma == 0) return 0;
  if (base <= 0) return gamma == 1 ? 1 : 0;
  return gamma * Math.pow(base, gamma - 1);
}

/**
 * Σ weight·balance·(1 − p_t)^γ·BCE over n elements (Keras' binary_focal_crossentropy before its
 * mean). Targets are smoothed towards 0.5 first. From logits the cross-entropy takes the form that
 * never overflows; on probabilities it clips them to [ε, 1 − ε] in float32 as Keras does (binary_clip.ts;
 * no slope outside).
 */
export function binaryFocalCrossEntropy(
  p: usize, targets: usize, dp: usize, n: i32, gradScale: f32,
  gamma: f32, alpha: f32, balance: i32, smoothing: f32, fromLogits: i32, weights: usize, repeat: i32,
): f64 {
  const g = <f64>gamma;
  const a = <f64>alpha;
  const s = <f64>smoothing;
  let total: f64 = 0;
  for (let i = 0; i < n; i++) {
    const w = elementWeight(weights, i, repeat);
    const off = <usize>i << 2;
    const y = <f64>load<f32>(p + off);
    const t = <f64>load<f32>(targets + off) * (1 - s) + 0.5 * s;
    let bce: f64, dBce: f64, miss: f64, dMiss: f64;
    if (fromLogits) {
      // σ(x) and 1 − σ(x) = σ(−x), each from e^−|x| so neither loses digits.
      const e = Math.exp(-Math.abs(y));
      const sig = y >= 0 ? 1 / (1 + e) : e / (1 + e);
      const sigNeg = y >= 0 ? e / (1 + e) : 1 / (1 + e);
      bce = max(y, 0) - y * t + Math.log1p(e);
      dBce = sig - t;
      miss = t * sigNeg + (1 - t) * sig;
      dMiss = (1 - 2 * t) * sig * sigNeg;
    } else {
      const pc = clipBinary(y);
      bce = -(t * Math.log(pc) + (1 - t) * Math.log(1 - pc));
      dBce = insideBinaryClip(y) ? (pc - t) / (pc * (1 - pc)) : 0;
      miss = t * (1 - y) + (1 - t) * y;
      dMiss = 1 - 2 * t;
    }
    miss = max(miss, 0);
    const focal = Math.pow(miss, g);
    const bal = balance ? t * a + (1 - t) * (1 - a) : 1;
    total += w * bal * focal * bce;
    if (dp != 0) store<f32>(dp + off, <f32>(w * bal * (powSlope(miss, g) * dMiss * bce + focal * dBce)) * gradScale);
  }
  return total;
}

/**
 * Σ_rows weight·Σ_c α·(1 − q_c)^γ·(−t_c·log q_c), q the row normalised to sum 1 and clipped to
 * [ε, 1 − ε] (Keras' categorical_focal_crossentropy). From logits (or fused with a softmax output)
 * the softmax is written to `probs` (which may alias the logits) and the gradient is w.r.t. the logits.
 * Targets are smoothed towards 1/cols first.
 */
export function categoricalFocalCrossEntropy(
  p: usize, targets: usize, probs: usize, dp: usize, rows: i32, cols: i32, gradScale: f32,
  alpha: f32, gamma: f32, smoothing: f32, fromLogits: i32, weights: usize,
): f64 {
  const g = <f64>gamma;
  const a = <f64>alpha;
  const s = <f64>smoothing;
  const rowBytes = <usize>cols << 2;
  let total: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const at = <usize>r * rowBytes;
    let src = p + at;
    if (fromLogits) {
      softmaxRow(p + at, probs + at, cols);
      src = probs + at;
    }
    let sum: f64 = 0;
    for (let c = 0; c < cols; c++) sum += <f64>load<f32>(src + (<usize>c << 2));
    const w = rowWeight(weights, r);
    let rowLoss: f64 = 0;
    // First pass: the loss, and dLoss/dq_c kept in dp until the normalisation's chain rule below.
    let uq: f64 = 0;
    for (let c = 0; c < cols; c++) {
      const off = <usize>c << 2;
      const q = <f64>load<f32>(src + off) / sum;
      const qc = min(max(q, EPS), 1 - EPS);
      const t = <f64>load<f32>(targets + at + off) * (1 - s) + s / <f64>cols;
      const logq = Math.log(qc);
      const focal = Math.pow(1 - qc, g);
      rowLoss -= a * t * focal * logq;
      if (dp != 0) {
        const u = q > EPS && q < 1 - EPS ? a * t * (powSlope(1 - qc, g) * logq - focal / qc) : 0;
        uq += u * q;
        store<f32>(dp + at + off, <f32>u);
      }
    }
    total += w * rowLoss;
    if (dp == 0) continue;
    // dL/dp_k = (u_k − Σ u_j q_j) / Σp; from logits, then back through the softmax.
    let gp: f64 = 0;
    if (fromLogits) {
      for (let c = 0; c < cols; c++) {
        const off = <usize>c << 2;
        gp += ((<f64>load<f32>(dp + at + off) - uq) / sum) * <f64>load<f32>(src + off);
      }
    }
    const scale = w * <f64>gradScale;
    for (let c = 0; c < cols; c++) {
      const off = <usize>c << 2;
      const dq = (<f64>load<f32>(dp + at + off) - uq) / sum;
      const grad = fromLogits ? <f64>load<f32>(src + off) * (dq - gp) : dq;
      store<f32>(dp + at + off, <f32>(grad * scale));
    }
  }
  return total;
}

/**
 * Dice and Tversky: Σ over `groups` of 1 − numerator·TP / (tpCoef·TP + tCoef·Σt + pCoef·Σp + ε)
 * with TP = Σ t·p over each group of `groupSize` elements. Dice is (2; 0, 1, 1); Tversky with its α
 * and β is (1; 1 − α − β, α, β), since its FP = Σ(1 − p)·t = Σt − TP and FN = Σp·(1 − t) = Σp − TP.
 * With `weights` (one per `repeat` elements), each group's loss and gradient are multiplied by the
 * sum of its elements' weights, so per-position weights weigh the overlaps that cover them.
 */
export function overlapLoss(
  p: usize, targets: usize, dp: usize, groups: i32, groupSize: i32, gradScale: f32,
  numerator: f32, tpCoef: f32, tCoef: f32, pCoef: f32, weights: usize, repeat: i32,
): f64 {
  const num = <f64>numerator;
  const tpc = <f64>tpCoef;
  const pc = <f64>pCoef;
  let total: f64 = 0;
  for (let gi = 0; gi < groups; gi++) {
    const start = <usize>gi * <usize>groupSize;
    let tp: f64 = 0;
    let ts: f64 = 0;
    let ps: f64 = 0;
    for (let i = 0; i < groupSize; i++) {
      const off = (start + <usize>i) << 2;
      const y = <f64>load<f32>(p + off);
      const t = <f64>load<f32>(targets + off);
      tp += t * y;
      ts += t;
      ps += y;
    }
    const w = weights == 0 ? 1 : groupWeight(weights, gi * groupSize, groupSize, repeat);
    const d = tpc * tp + <f64>tCoef * ts + pc * ps + EPS;
    total += w * (1 - (num * tp) / d);
    if (dp == 0) continue;
    const scale = (w * <f64>gradScale) / (d * d);
    for (let i = 0; i < groupSize; i++) {
      const off = (start + <usize>i) << 2;
      const t = <f64>load<f32>(targets + off);
      store<f32>(dp + off, <f32>(-num * (t * d - tp * (tpc * t + pc)) * scale));
    }
  }
  return total;
}

/** Σ of the weights of elements [start, start + size), one weight per `repeat` elements. */
function groupWeight(weights: usize, start: i32, size: i32, repeat: i32): f64 {
  let sum: f64 = 0;
  for (let i = start; i < start + size; i++) sum += elementWeight(weights, i, repeat);
  return sum;
}
