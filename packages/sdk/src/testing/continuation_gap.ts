// Comparing where two continuations of one training run went (optimizer state moved between
// kerasm and tfjs): each model's weights as host arrays, and their distance relative to the step.

/** A kerasm or tfjs model's weights, copied to the host in `getWeights()` order. */
export const weightValues = (model: { getWeights(): { dataSync(): ArrayLike<number> }[] }): Float32Array[] => model.getWeights().map((w) => Float32Array.from(w.dataSync()));

/** ‖a − b‖ / ‖step taken from `before`‖: where two continuations went, relative to how far they went. */
export function relativeGap(a: readonly Float32Array[], b: readonly Float32Array[], before: readonly Float32Array[]): number {
  let gap = 0;
  let step = 0;
  a.forEach((w, i) => w.forEach((v, j) => ((gap += (v - b[i][j]) ** 2), (step += (v - before[i][j]) ** 2))));
  return Math.sqrt(gap / step);
}
