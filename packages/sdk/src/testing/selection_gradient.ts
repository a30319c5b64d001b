// The gradient of an op that only moves values (each output element copies one element of x, or is
// 0), checked without trusting the op's own backward: tfjs' forward op, run on x's 1-based element
// numbers, tells where each output element came from, and the reference gradient adds dy there in
// float64 (tfjs has no gradient for stridedSlice, depthToSpace or diag, and a wrong one for mirrorPad).
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { grad } from '../ops/gradients.js';
import type { Tensor } from '../tensor.js';
import { Random } from '../utils/random.js';
import { randomPair, type Pair } from './tfjs_op_parity.js';

export function expectSelectionGradient(rng: Random, ours: (x: Tensor<'float32'>) => Tensor, theirs: (x: tf.Tensor) => tf.Tensor, x: Pair, what: string): void {
  const numbers = tf.tensor(Float32Array.from({ length: x.km.size }, (_, i) => i + 1), [...x.km.shape], 'float32');
  const from = theirs(numbers);
  const dy = randomPair(rng, from.shape, 'float32', 2);
  const sums = new Float64Array(x.km.size);
  const sources = from.dataSync();
  const dyValues = dy.km.dataSync();
  sources.forEach((s, i) => {
    if (s !== 0) sums[s - 1] += dyValues[i];
  });
  const g = grad(ours)(x.km, dy.km);
  expect({ what, shape: [...g.shape] }).toEqual({ what, shape: [...x.km.shape] });
  expect(Array.from(g.dataSync()), what).toEqual(Array.from(Float32Array.from(sums)));
  tf.dispose([numbers, from, dy.tf]);
}
