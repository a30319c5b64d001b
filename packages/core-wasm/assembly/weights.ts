// Per-row weights of the loss and metric kernels: 0 for none (every row weighs 1), else one f32
// per row, or per group of `repeat` elements in the element-wise kernels.

// @ts-ignore: decorator
@inline
export function rowWeight(weights: usize, r: i32): f64 {
  return weights == 0 ? 1 : <f64>load<f32>(weights + (<usize>r << 2));
}

/** The weight of element i of the element-wise kernels: one per group of `repeat` elements (1 without weights). */
// @ts-ignore: decorator
@inline
export function elementWeight(weights: usize, i: i32, repeat: i32): f64 {
  return weights == 0 ? 1 : <f64>load<f32>(weights + (<usize>(i / repeat) << 2));
}
