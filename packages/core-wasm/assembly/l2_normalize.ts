// L2 normalization along one axis, as Dot's `normalize: true` applies it to each input. The tensor
// is viewed as [outer, reduce, inner]: one norm per (outer, inner) pair over the `reduce` axis, so
// the last axis (inner = 1) and a middle one share one kernel. As TensorFlow.js' l2Normalize,
// y = x / √max(Σx², ε). The work is O(n) beside the GEMM that follows, so it stays scalar, and the
// sums run in f64 so long axes lose nothing.

/** Σ a·b over one column of `reduce` floats, `stride` bytes apart. */
function columnDot(a: usize, b: usize, reduce: i32, stride: usize): f64 {
  let sum: f64 = 0;
  for (let r = 0; r < reduce; r++) {
    const offset = <usize>r * stride;
    sum += <f64>load<f32>(a + offset) * <f64>load<f32>(b + offset);
  }
  return sum;
}

/** y = x / √max(Σx², epsilon) along `reduce`; y may alias x. */
export function l2NormalizeForward(x: usize, y: usize, outer: i32, reduce: i32, inner: i32, epsilon: f32): void {
  const stride = <usize>inner << 2;
  for (let o = 0; o < outer; o++) {
    const block = <usize>o * <usize>reduce * stride;
    for (let j = 0; j < inner; j++) {
      const column = block + (<usize>j << 2);
      const squares = columnDot(x + column, x + column, reduce, stride);
      const scale = <f32>(1 / Math.sqrt(Math.max(squares, <f64>epsilon)));
      for (let r = 0; r < reduce; r++) {
        const offset = column + <usize>r * stride;
        store<f32>(y + offset, load<f32>(x + offset) * scale);
      }
    }
  }
}

/**
 * dx of l2NormalizeForward from its input x: s·dy − s³·(Σx·dy)·x where the norm is above √ε, and
 * s·dy where ε clamps it (s is then the constant 1/√ε). dx may alias dy.
 */
export function l2NormalizeBackward(x: usize, dy: usize, dx: usize, outer: i32, reduce: i32, inner: i32, epsilon: f32): void {
  const stride = <usize>inner << 2;
  for (let o = 0; o < outer; o++) {
    const block = <usize>o * <usize>reduce * stride;
    for (let j = 0; j < inner; j++) {
      const column = block + (<usize>j << 2);
      const squares = columnDot(x + column, x + column, reduce, stride);
      const clamped = squares <= <f64>epsilon;
      const s = 1 / Math.sqrt(clamped ? <f64>epsilon : squares);
      const along = clamped ? 0 : s * s * s * columnDot(x + column, dy + column, reduce, stride);
      for (let r = 0; r < reduce; r++) {
        const offset = column + <usize>r * stride;
        store<f32>(dx + offset, <f32>(s * <f64>load<f32>(dy + offset) - along * <f64>load<f32>(x + offset)));
      }
    }
  }
}
