// Losses. Each returns the SUM over elements/rows (f64) and, when the gradient pointer is
// non-zero, writes the gradient times gradScale. Probabilities are clipped to [EPS, 1-EPS]
// as Keras does before taking logs. A non-zero `weights` holds one f32 per row (the row kernels)
// or per `repeat` consecutive elements (the element kernels) that multiplies both the loss and its
// gradient there: masked positions (weight 0) and per-position sample weights, in one pass.
import { softmaxRow } from './activations';
import { elementWeight, rowWeight } from './weights';

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

/** Cross-entropy on probabilities against dense targets: −Σ t·log(clip p). */
export function categoricalCrossEntropy(p: usize, targets: usize, dp: usize, rows: i32, cols: i32, gradScale: f32, weights: usize): f64 {
  let loss: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const w = rowWeight(weights, r);
    const scale = gradScale * <f32>w;
    let rowLoss: f64 = 0;
    for (let i = r * cols; i < (r + 1) * cols; i++) {
      const off = <usize>i << 2;
      const t = <f64>load<f32>(targets + off);
      const pc = clip(<f64>load<f32>(p + off));
      if (t != 0) rowLoss -= t * Math.log(pc);
      if (dp != 0) store<f32>(dp + off, <f32>(-t / pc) * scale);
    }
    loss += w * rowLoss;
  }
  return loss;
}

/** Cross-entropy on probabilities against i32 labels: −log(clip p[label]). */
export function sparseCategoricalCrossEntropy(p: usize, labels: usize, dp: usize, rows: i32, cols: i32, gradScale: f32, weights: usize): f64 {
  let loss: f64 = 0;
  const rowBytes = <usize>cols << 2;
  if (dp != 0 && rows * cols > 0) memory.fill(dp, 0, <usize>(rows * cols) << 2);
  for (let r = 0; r < rows; r++) {
    const label = load<i32>(labels + (<usize>r << 2));
    const w = rowWeight(weights, r);
    if (label < 0 || label >= cols) {
      loss -= w * Math.log(EPS);
      continue;
    }
    const off = <usize>r * rowBytes + (<usize>label << 2);
    const pc = clip(<f64>load<f32>(p + off));
    loss -= w * Math.log(pc);
    if (dp != 0) store<f32>(dp + off, <f32>(-1 / pc) * gradScale * <f32>w);
  }
  return loss;
}

/**
 * −(t·log(clip p) + (1−t)·log(1 − clip p)) summed over n elements, with each target smoothed
 * towards 0.5 first (t·(1 − s) + s/2, Keras' label_smoothing) so that the stored targets, which
 * the metrics read, stay as given.
 */
export function binaryCrossEntropy(p: usize, targets: usize, dp: usize, n: i32, gradScale: f32, weights: usize, repeat: i32, smoothing: f32): f64 {
  const s = <f64>smoothing;
  let loss: f64 = 0;
  for (let i = 0; i < n; i++) {
    const w = elementWeight(weights, i, repeat);
    const off = <usize>i << 2;
    const t = <f64>load<f32>(targets + off) * (1 - s) + 0.5 * s;
    const pc = clip(<f64>load<f32>(p + off));
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
