// Losses. Each returns the SUM over elements/rows (f64) and, when the gradient pointer is
// non-zero, writes the gradient times gradScale. Probabilities are clipped to [EPS, 1-EPS]
// as Keras does before taking logs. A non-zero `weights` holds one f32 per row (the row kernels)
// or per `repeat` consecutive elements (the element kernels) that multiplies both the loss and its
// gradient there: masked positions (weight 0) and per-position sample weights, in one pass.
import { softmaxRow } from './activations';
import { elementWeight, rowWeight } from './weights';
import { clipBinary } from './binary_clip';

const EPS: f64 = 1e-7;

// @ts-ignore: decorator
@inline
function clip(p: f64): f64 {
  return min(max(p, EPS), 1 - EPS);
}

/** Fused softmax + cross-entropy against i32 labels. probs may alias logits. */
export function softmaxCrossEntropySparse(
  logits: usize, labels: usize, probs: usize, dLogits: usize, rows: i32, cols: i32, gradScale: f32, weights: usize,
): f64 {
  let loss: f64 = 0;
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const p = probs + <usize>r * rowBytes;
    softmaxRow(logits + <usize>r * rowBytes, p, cols);
    const label = load<i32>(labels + (<usize>r << 2));
    const inRange = label >= 0 && label < cols;
    const w = rowWeight(weights, r);
    // An out-of-range label counts as probability 0 (the clipped maximum loss).
    loss -= w * Math.log(clip(inRange ? <f64>load<f32>(p + (<usize>label << 2)) : 0));
    if (dLogits != 0) {
      const d = dLogits + <usize>r * rowBytes;
      const scale = gradScale * <f32>w;
      for (let c = 0; c < cols; c++) store<f32>(d + (<usize>c << 2), load<f32>(p + (<usize>c << 2)) * scale);
      if (inRange) {
        const at = d + (<usize>label << 2);
        store<f32>(at, load<f32>(at) - scale);
      }
    }
  }
  return loss;
}

/** Fused softmax + cross-entropy against dense target rows. probs may alias logits. */
export function softmaxCrossEntropyDense(
  logits: usize, targets: usize, probs: usize, dLogits: usize, rows: i32, cols: i32, gradScale: f32, weights: usize,
): f64 {
  let loss: f64 = 0;
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const p = probs + <usize>r * rowBytes;
    const t = targets + <usize>r * rowBytes;
    softmaxRow(logits + <usize>r * rowBytes, p, cols);
    let tSum: f32 = 0;
    let rowLoss: f64 = 0;
    for (let c = 0; c < cols; c++) {
      const tc = load<f32>(t + (<usize>c << 2));
      tSum += tc;
      if (tc != 0) rowLoss -= <f64>tc * Math.log(clip(<f64>load<f32>(p + (<usize>c << 2))));
    }
    const w = rowWeight(weights, r);
    loss += w * rowLoss;
    if (dLogits != 0) {
      const d = dLogits + <usize>r * rowBytes;
      const scale = gradScale * <f32>w;
      for (let c = 0; c < cols; c++) {
        const off = <usize>c << 2;
        store<f32>(d + off, (load<f32>(p + off) * tSum - load<f32>(t + off)) * scale);
      }
    }
  }
  return loss;
}

// Keras divides each row by its sum before clipping, so outputs that need not sum to 1 (sigmoid,
// linear, relu) are read as the distribution they are proportional to. With q = p / S, S = Σp, and
// u_i = dL/dq_i (0 where q_i was clipped: clip has no slope there), dL/dp_k = (u_k − Σ_i u_i·q_i) / S.
// For L = −Σ t_i·log(clip q_i), u_i·q_i = −t_i where unclipped, so dL/dp_k = (u_k + T) / S with T the
// targets' sum over the unclipped entries, and u_k / S = −t_k / p_k. A row that sums to 0 gives NaN, as in Keras.

// @ts-ignore: decorator
@inline
function rowSum(p: usize, cols: i32): f64 {
  let s: f64 = 0;
  for (let c = 0; c < cols; c++) s += <f64>load<f32>(p + (<usize>c << 2));
  return s;
}

// @ts-ignore: decorator
@inline
function unclipped(q: f64): bool {
  return q > EPS && q < 1 - EPS;
}

/** Cross-entropy on probabilities against dense targets: −Σ t·log(clip(p / Σp)), each row normalised first. */
export function categoricalCrossEntropy(p: usize, targets: usize, dp: usize, rows: i32, cols: i32, gradScale: f32, weights: usize): f64 {
  let loss: f64 = 0;
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const pr = p + <usize>r * rowBytes;
    const tr = targets + <usize>r * rowBytes;
    const w = rowWeight(weights, r);
    // A masked row adds nothing, even where its outputs sum to 0 (which would give NaN).
    if (w == 0) {
      if (dp != 0) memory.fill(dp + <usize>r * rowBytes, 0, rowBytes);
      continue;
    }
    const sum = rowSum(pr, cols);
    let rowLoss: f64 = 0;
    let tInside: f64 = 0;
    for (let c = 0; c < cols; c++) {
      const off = <usize>c << 2;
      const t = <f64>load<f32>(tr + off);
      const q = <f64>load<f32>(pr + off) / sum;
      if (t != 0) rowLoss -= t * Math.log(clip(q));
      if (unclipped(q)) tInside += t;
    }
    loss += w * rowLoss;
    if (dp == 0) continue;
    const scale = <f64>gradScale * w;
    const dr = dp + <usize>r * rowBytes;
    for (let c = 0; c < cols; c++) {
      const off = <usize>c << 2;
      const q = <f64>load<f32>(pr + off) / sum;
      const u = unclipped(q) ? -<f64>load<f32>(tr + off) / q : 0;
      store<f32>(dr + off, <f32>(((u + tInside) / sum) * scale));
    }
  }
  return loss;
}

/** Cross-entropy on probabilities against i32 labels: −log(clip(p[label] / Σp)), each row normalised first. */
export function sparseCategoricalCrossEntropy(p: usize, labels: usize, dp: usize, rows: i32, cols: i32, gradScale: f32, weights: usize): f64 {
  let loss: f64 = 0;
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const pr = p + <usize>r * rowBytes;
    const label = load<i32>(labels + (<usize>r << 2));
    const w = rowWeight(weights, r);
    const inRange = label >= 0 && label < cols;
    if (w == 0) {
      if (dp != 0) memory.fill(dp + <usize>r * rowBytes, 0, rowBytes);
      continue;
    }
    // An out-of-range label counts as probability 0 (the clipped maximum loss), with no slope.
    const sum = rowSum(pr, cols);
    const q = inRange ? <f64>load<f32>(pr + (<usize>label << 2)) / sum : 0;
    loss -= w * Math.log(clip(q));
    if (dp == 0) continue;
    const dr = dp + <usize>r * rowBytes;
    if (!inRange || !unclipped(q)) {
      memory.fill(dr, 0, rowBytes);
      continue;
    }
    const scale = <f64>gradScale * w;
    const rest = <f32>(scale / sum);
    for (let c = 0; c < cols; c++) store<f32>(dr + (<usize>c << 2), rest);
    store<f32>(dr + (<usize>label << 2), <f32>(((1 - 1 / q) / sum) * scale));
  }
  return loss;
}

/**
 * −(t·log(clip p) + (1−t)·log(1 − clip p)) summed over n elements, with each target smoothed
 * towards 0.5 first (t·(1 − s) + s/2, Keras' label_smoothing) so that the stored targets, which
 * the metrics read, stay as given. The clip's bounds are float32 values, as Keras' (binary_clip.ts).
 */
export function binaryCrossEntropy(p: usize, targets: usize, dp: usize, n: i32, gradScale: f32, weights: usize, repeat: i32, smoothing: f32): f64 {
  const s = <f64>smoothing;
  let loss: f64 = 0;
  for (let i = 0; i < n; i++) {
    const w = elementWeight(weights, i, repeat);
    const off = <usize>i << 2;
    const t = <f64>load<f32>(targets + off) * (1 - s) + 0.5 * s;
    const pc = clipBinary(<f64>load<f32>(p + off));
    loss -= w * (t * Math.log(pc) + (1 - t) * Math.log(1 - pc));
    if (dp != 0) store<f32>(dp + off, <f32>((pc - t) / (pc * (1 - pc))) * (gradScale * <f32>w));
  }
  return loss;
}

/** Σ (p − t)² over n elements; gradient 2(p − t). */
export function meanSquaredError(p: usize, targets: usize, dp: usize, n: i32, gradScale: f32, weights: usize, repeat: i32): f64 {
  let loss: f64 = 0;
  for (let i = 0; i < n; i++) {
    const w = elementWeight(weights, i, repeat);
    const off = <usize>i << 2;
    const d = load<f32>(p + off) - load<f32>(targets + off);
    loss += w * (<f64>d * <f64>d);
    if (dp != 0) store<f32>(dp + off, d * (2 * gradScale * <f32>w));
  }
  return loss;
}
