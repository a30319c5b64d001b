// Gradient clipping and weight decay over flat f32 buffers: a reduction, a clamp and a scale,
// from which clipnorm, globalClipnorm, clipvalue and decoupled weight decay are composed.

/** Σ x[i]² over n values, accumulated in f64 so a long buffer's norm does not lose digits. */
export function sumSquares(ptr: usize, n: i32): f64 {
  let acc = f32x4.splat(0);
  let total: f64 = 0;
  let i = 0;
  // Flush the f32 lanes into f64 every 1024 values so rounding stays at f32 level per block.
  while (i + 4 <= n) {
    const end = min(n & ~3, i + 1024);
    for (; i < end; i += 4) {
      const v = v128.load(ptr + (<usize>i << 2));
      acc = f32x4.add(acc, f32x4.mul(v, v));
    }
    total += <f64>f32x4.extract_lane(acc, 0) + <f64>f32x4.extract_lane(acc, 1) + <f64>f32x4.extract_lane(acc, 2) + <f64>f32x4.extract_lane(acc, 3);
    acc = f32x4.splat(0);
  }
  for (; i < n; i++) {
    const x = <f64>load<f32>(ptr + (<usize>i << 2));
    total += x * x;
  }
  return total;
}

/** x[i] = min(max(x[i], lo), hi), in place. */
export function clipByValue(ptr: usize, n: i32, lo: f32, hi: f32): void {
  const vlo = f32x4.splat(lo), vhi = f32x4.splat(hi);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = <usize>i << 2;
    v128.store(ptr + off, f32x4.min(f32x4.max(v128.load(ptr + off), vlo), vhi));
  }
  for (; i < n; i++) {
    const off = <usize>i << 2;
    store<f32>(ptr + off, min(max(load<f32>(ptr + off), lo), hi));
  }
}

/** x[i] *= factor, in place. */
export function scale(ptr: usize, n: i32, factor: f32): void {
  const f = f32x4.splat(factor);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = <usize>i << 2;
    v128.store(ptr + off, f32x4.mul(v128.load(ptr + off), f));
  }
  for (; i < n; i++) {
    const off = <usize>i << 2;
    store<f32>(ptr + off, load<f32>(ptr + off) * factor);
  }
}
