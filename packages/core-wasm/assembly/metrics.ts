// Accuracy counters. Argmax ties resolve to the first index, as tf.argMax does. A non-zero `weights`
// (one f32 per row, or per `repeat` elements) weighs each match: a mask's 0/1 leaves rows out, sample
// weights count them that many times (Keras' weighted_metrics). Sums are f64, exact for counts.

// @ts-ignore: decorator
@inline
function weightOf(weights: usize, r: i32): f64 {
  return weights == 0 ? 1.0 : <f64>load<f32>(weights + (<usize>r << 2));
}

/** Index of the first maximum of one row. */
function argmaxRow(row: usize, cols: i32): i32 {
  let best = 0;
  let bestValue = load<f32>(row);
  for (let c = 1; c < cols; c++) {
    const v = load<f32>(row + (<usize>c << 2));
    if (v > bestValue) { bestValue = v; best = c; }
  }
  return best;
}

/** Σ weight of the rows whose argmax equals the i32 label. */
export function countArgmaxMatchesSparse(p: usize, labels: usize, rows: i32, cols: i32, weights: usize): f64 {
  let count = 0.0;
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    if (argmaxRow(p + <usize>r * rowBytes, cols) == load<i32>(labels + (<usize>r << 2))) count += weightOf(weights, r);
  }
  return count;
}

/** Σ weight of the rows whose argmax equals the argmax of the dense target row. */
export function countArgmaxMatchesDense(p: usize, targets: usize, rows: i32, cols: i32, weights: usize): f64 {
  let count = 0.0;
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const off = <usize>r * rowBytes;
    if (argmaxRow(p + off, cols) == argmaxRow(targets + off, cols)) count += weightOf(weights, r);
  }
  return count;
}

/** Σ weight of the elements where t == (p > threshold ? 1 : 0), as Keras binary_accuracy. */
export function countBinaryMatches(p: usize, targets: usize, n: i32, threshold: f32, weights: usize, repeat: i32): f64 {
  let count = 0.0;
  for (let i = 0; i < n; i++) {
    const off = <usize>i << 2;
    const predicted: f32 = load<f32>(p + off) > threshold ? 1 : 0;
    if (load<f32>(targets + off) == predicted) count += weightOf(weights, i / repeat);
  }
  return count;
}
