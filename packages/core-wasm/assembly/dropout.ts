// Dropout masks from a counter-based hash of (seed, index): no generator state to carry, and the
// same seed gives the same mask on every backend and build.

/** mask[i] = 0 with probability `rate`, else 1/(1 − rate) (inverted dropout, as Keras scales). */
export function dropoutMask(mask: usize, n: i32, rate: f32, seed: u32): void {
  const keep: f32 = <f32>1 / (<f32>1 - rate);
  for (let i = 0; i < n; i++) {
    const u = <f32>hash24(seed, <u32>i) * (<f32>1 / <f32>16777216);
    store<f32>(mask + (<usize>i << 2), u < rate ? 0 : keep);
  }
}

/** 24 random bits for counter i: mulberry32's output function over seed + golden-ratio steps, as the JS generator uses. */
// @ts-ignore: decorator
@inline export function hash24(seed: u32, i: u32): u32 {
  let t: u32 = seed + (i + 1) * 0x6d2b79f5;
  t = (t ^ (t >>> 15)) * (t | 1);
  t ^= t + (t ^ (t >>> 7)) * (t | 61);
  return (t ^ (t >>> 14)) >>> 8;
}
