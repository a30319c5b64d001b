// The clip of Keras' binary cross-entropy on probabilities, shared by the plain and focal kernels.
// Keras clips in the outputs' dtype, float32, so both bounds are float32 values: f32(1e-7) and
// f32(1 − 1e-7) = 1 − 1.1920929e-7. A saturated output (p = 1, target 0) then costs
// −log(1.1920929e-7) = 15.942, as in Keras' TF backend and tfjs, not −log(1e-7) = 16.118.

export const BINARY_CLIP_LOW: f64 = <f64><f32>1e-7;
export const BINARY_CLIP_HIGH: f64 = <f64><f32>(1.0 - 1e-7);

/** p clipped to [BINARY_CLIP_LOW, BINARY_CLIP_HIGH]: log(p) and log(1 − p) of it are both finite. */
// @ts-ignore: decorator
@inline
export function clipBinary(p: f64): f64 {
  return min(max(p, BINARY_CLIP_LOW), BINARY_CLIP_HIGH);
}

/** Whether the clip leaves p as it is, strictly inside its bounds (where clip has a slope). */
// @ts-ignore: decorator
@inline
export function insideBinaryClip(p: f64): bool {
  return p > BINARY_CLIP_LOW && p < BINARY_CLIP_HIGH;
}
