// Accuracy counters. Argmax ties resolve to the first index, as tf.argMax does. A non-zero `mask`
// (one f32 per row, or per `repeat` elements) leaves out the rows or elements where it is 0.

// @ts-ignore: decorator
@inline
function masked(mask: usize, r: i32): bool {
  return mask != 0 && load<f32>(mask + (<usize>r << 2)) == 0;
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

/** Rows whose argmax equals the i32 label. */
export function countArgmaxMatchesSparse(p: usize, labels: usize, rows: i32, cols: i32, mask: usize): i32 {
  let count = 0;
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    if (masked(mask, r)) continue;
    if (argmaxRow(p + <usize>r * rowBytes, cols) == load<i32>(labels + (<usize>r << 2))) count++;
  }
  return count;
}

/** Rows whose argmax equals the argmax of the dense target row. */
export function countArgmaxMatchesDense(p: usize, targets: usize, rows: i32, cols: i32, mask: usize): i32 {
  let count = 0;
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    if (masked(mask, r)) continue;
    const off = <usize>r * rowBytes;
    if (argmaxRow(p + off, cols) == argmaxRow(targets + off, cols)) count++;
  }
  return count;
}

/** Elements where t == (p > threshold ? 1 : 0), as Keras binary_accuracy. */
export function countBinaryMatches(p: usize, targets: usize, n: i32, threshold: f32, mask: usize, repeat: i32): i32 {
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (mask != 0 && masked(mask, i / repeat)) continue;
    const off = <usize>i << 2;
    const predicted: f32 = load<f32>(p + off) > threshold ? 1 : 0;
    if (load<f32>(targets + off) == predicted) count++;
  }
  return count;
}
