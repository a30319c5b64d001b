import * as km from '../index.js';
import type { Random } from '../utils/random.js';

/** The epsilon of a default BatchNormalization. */
export const BN_EPSILON = 1e-3;

/** Float64 inference-mode batch normalization of flat channels-last values. */
export function normalizeWithMoving(values: readonly number[], gamma: readonly number[], beta: readonly number[], mean: readonly number[], variance: readonly number[]): number[] {
  const c = gamma.length;
  return values.map((v, i) => (gamma[i % c] * (v - mean[i % c])) / Math.sqrt(variance[i % c] + BN_EPSILON) + beta[i % c]);
}

/** Gamma, beta, moving mean and moving variance far from their defaults, so inference and batch statistics differ. */
export function randomStatistics(random: Random, channels: number): km.Tensor[] {
  const ranges: [number, number][] = [[0.5, 2], [-1, 1], [-1, 1], [0.2, 3]];
  return ranges.map(([lo, hi]) => km.tensor(Array.from({ length: channels }, () => random.uniform(lo, hi)), [channels]));
}
