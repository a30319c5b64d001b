// Masks for padded sequences: one float per step (1 keep, 0 masked) in [rows] buffers, as Keras'
// boolean masks. A masked row is taken whole from elsewhere, so rows are copied rather than blended:
// m·h + (1 − m)·hPrev would turn an Inf or NaN in the unused row into NaN.

// @ts-ignore: decorator
@inline
function copyRow(dst: usize, src: usize, rowBytes: usize, vecEnd: usize): void {
  let b: usize = 0;
  for (; b < vecEnd; b += 16) v128.store(dst + b, v128.load(src + b));
  for (; b < rowBytes; b += 4) store<f32>(dst + b, load<f32>(src + b));
}

// @ts-ignore: decorator
@inline
function zeroRow(dst: usize, rowBytes: usize, vecEnd: usize): void {
  let b: usize = 0;
  const zero = f32x4.splat(0);
  for (; b < vecEnd; b += 16) v128.store(dst + b, zero);
  for (; b < rowBytes; b += 4) store<f32>(dst + b, 0);
}

/** mask[r] = 1 when any of x[r, 0..width) differs from value, else 0 (Keras' Masking; Embedding's mask_zero with width 1). */
export function maskFromValues(x: usize, mask: usize, rows: i32, width: i32, value: f32): void {
  const rowBytes = <usize>width << 2;
  const vecEnd = <usize>(width & ~3) << 2;
  const v = f32x4.splat(value);
  for (let r = 0; r < rows; r++) {
    const row = x + <usize>r * rowBytes;
    let differs = v128.splat<i32>(0);
    let b: usize = 0;
    for (; b < vecEnd; b += 16) differs = v128.or(differs, f32x4.ne(v128.load(row + b), v));
    let keep = v128.any_true(differs);
    for (; b < rowBytes; b += 4) keep = keep || load<f32>(row + b) != value;
    store<f32>(mask + (<usize>r << 2), keep ? 1 : 0);
  }
}

/** Rows r of x [rows, width] where mask[r] is 0 become prev's row r (zeros when prev is 0); in place. */
export function maskSelectRows(mask: usize, x: usize, prev: usize, rows: i32, width: i32): void {
  const rowBytes = <usize>width << 2;
  const vecEnd = <usize>(width & ~3) << 2;
  for (let r = 0; r < rows; r++) {
    if (load<f32>(mask + (<usize>r << 2)) != 0) continue;
    const dst = x + <usize>r * rowBytes;
    if (prev) copyRow(dst, prev + <usize>r * rowBytes, rowBytes, vecEnd);
    else zeroRow(dst, rowBytes, vecEnd);
  }
}

/** maskSelectRows' backward pass: rows r where mask[r] is 0 add dx's row into dPrev (when not 0), then dx's row becomes 0. */
export function maskSelectRowsGrad(mask: usize, dx: usize, dPrev: usize, rows: i32, width: i32): void {
  const rowBytes = <usize>width << 2;
  const vecEnd = <usize>(width & ~3) << 2;
  for (let r = 0; r < rows; r++) {
    if (load<f32>(mask + (<usize>r << 2)) != 0) continue;
    const src = dx + <usize>r * rowBytes;
    if (dPrev) {
      const dst = dPrev + <usize>r * rowBytes;
      let b: usize = 0;
      for (; b < vecEnd; b += 16) v128.store(dst + b, f32x4.add(v128.load(dst + b), v128.load(src + b)));
      for (; b < rowBytes; b += 4) store<f32>(dst + b, load<f32>(dst + b) + load<f32>(src + b));
    }
    zeroRow(src, rowBytes, vecEnd);
  }
}

/**
 * out[b, :] = Σ_s mask[b, s]·x[b, s, :] / max(1, Σ_s mask[b, s]): the mean over the unmasked steps of
 * each of `batch` sequences [steps, channels] (0 for a sequence with every step masked).
 */
export function maskedMeanSteps(x: usize, mask: usize, out: usize, batch: i32, steps: i32, channels: i32): void {
  const rowBytes = <usize>channels << 2;
  const vecEnd = <usize>(channels & ~3) << 2;
  for (let n = 0; n < batch; n++) {
    const dst = out + <usize>n * rowBytes;
    zeroRow(dst, rowBytes, vecEnd);
    let count: f32 = 0;
    for (let s = 0; s < steps; s++) {
      const m = load<f32>(mask + (<usize>(n * steps + s) << 2));
      if (m == 0) continue;
      count += 1;
      const src = x + <usize>(n * steps + s) * rowBytes;
      let b: usize = 0;
      for (; b < vecEnd; b += 16) v128.store(dst + b, f32x4.add(v128.load(dst + b), v128.load(src + b)));
      for (; b < rowBytes; b += 4) store<f32>(dst + b, load<f32>(dst + b) + load<f32>(src + b));
    }
    const inv: f32 = 1 / (count > 1 ? count : 1);
    const vInv = f32x4.splat(inv);
    let b: usize = 0;
    for (; b < vecEnd; b += 16) v128.store(dst + b, f32x4.mul(v128.load(dst + b), vInv));
    for (; b < rowBytes; b += 4) store<f32>(dst + b, load<f32>(dst + b) * inv);
  }
}

/** Its gradient: dx[b, s, :] = mask[b, s]·dy[b, :] / max(1, Σ_s mask[b, s]); overwrites dx. */
export function maskedMeanStepsGrad(dy: usize, mask: usize, dx: usize, batch: i32, steps: i32, channels: i32): void {
  const rowBytes = <usize>channels << 2;
  const vecEnd = <usize>(channels & ~3) << 2;
  for (let n = 0; n < batch; n++) {
    let count: f32 = 0;
    for (let s = 0; s < steps; s++) if (load<f32>(mask + (<usize>(n * steps + s) << 2)) != 0) count += 1;
    const inv: f32 = 1 / (count > 1 ? count : 1);
    const vInv = f32x4.splat(inv);
    const src = dy + <usize>n * rowBytes;
    for (let s = 0; s < steps; s++) {
      const dst = dx + <usize>(n * steps + s) * rowBytes;
      if (load<f32>(mask + (<usize>(n * steps + s) << 2)) == 0) {
        zeroRow(dst, rowBytes, vecEnd);
        continue;
      }
      let b: usize = 0;
      for (; b < vecEnd; b += 16) v128.store(dst + b, f32x4.mul(v128.load(src + b), vInv));
      for (; b < rowBytes; b += 4) store<f32>(dst + b, load<f32>(src + b) * inv);
    }
  }
}

/** Σ mask over n steps: the positions a masked loss or metric averages over. */
export function maskSum(mask: usize, n: i32): f64 {
  let sum: f64 = 0;
  for (let i = 0; i < n; i++) sum += <f64>load<f32>(mask + (<usize>i << 2));
  return sum;
}

/**
 * The weights of a weighted, masked "sum over batch size" loss (Keras' apply_mask), for n positions:
 * out[i] = m[i]·w[i / repeat] / D, with m the mask (1 where mask is 0: none), w the sample weights
 * (1 where weights is 0: none) and D = Σ m (n without a mask), so Σ out[i]·loss[i] is the mean over
 * the unmasked positions. Every out[i] is 0 when every position is masked.
 */
export function lossWeights(mask: usize, weights: usize, repeat: i32, out: usize, n: i32, normalize: bool): void {
  const total = !normalize ? 1.0 : mask != 0 ? maskSum(mask, n) : <f64>n;
  const inv: f32 = total > 0 ? <f32>(1 / total) : 0;
  for (let i = 0; i < n; i++) {
    const m: f32 = mask != 0 ? load<f32>(mask + (<usize>i << 2)) : 1;
    const w: f32 = weights != 0 ? load<f32>(weights + (<usize>(i / repeat) << 2)) : 1;
    store<f32>(out + (<usize>i << 2), m * w * inv);
  }
}
