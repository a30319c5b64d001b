// Gaussian noise from the same counter-based hash as the dropout masks: the same seed gives the
// same noise on every backend and thread count, with no generator state to carry.
import { hash24 } from './dropout';

/**
 * out[i] = mean + stddev·z, z standard normal by Box-Muller over hash counters 2i and 2i + 1
 * (u1 in (0, 1], so the log stays finite).
 */
export function normalNoise(out: usize, n: i32, mean: f32, stddev: f32, seed: u32): void {
  const inv: f32 = <f32>1 / <f32>16777216;
  for (let i = 0; i < n; i++) {
    const u1 = <f32>(hash24(seed, <u32>(2 * i)) + 1) * inv;
    const u2 = <f32>hash24(seed, <u32>(2 * i + 1)) * inv;
    const z = Mathf.sqrt(<f32>-2 * Mathf.log(u1)) * Mathf.cos(<f32>6.2831855 * u2);
    store<f32>(out + (<usize>i << 2), mean + stddev * z);
  }
}
