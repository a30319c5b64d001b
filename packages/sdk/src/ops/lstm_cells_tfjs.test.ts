// basicLSTMCell and multiRNNCell against tfjs-core 4.22 (CPU backend): values and gradients of
// every argument against tf.grads at random odd sizes, within float32 tolerance (the matMul sums in
// another order), and the errors for shapes that do not fit.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import * as kmRoot from '../index.js';
import type { Tensor } from '../tensor.js';
import { expectCloseToTfjs, expectSameGradients, randomPair, type Pair } from '../testing/tfjs_op_parity.js';
import { Random } from '../utils/random.js';
import * as km from './index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The arguments of one cell after forgetBias: lstmKernel, lstmBias, c, h (data is passed separately). */
function cellWeights(rng: Random, batch: number, inputSize: number, units: number): Pair[] {
  return [randomPair(rng, [inputSize + units, 4 * units], 'float32', 0.5), randomPair(rng, [4 * units], 'float32', 0.5), randomPair(rng, [batch, units], 'float32', 1), randomPair(rng, [batch, units], 'float32', 1)];
}

describe('LSTM cells match tfjs-core 4.22', () => {
  it('basicLSTMCell: newC and newH, and the gradients of all six arguments, at random odd sizes', () => {
    const rng = new Random(91);
    for (let trial = 0; trial < 12; trial++) {
      const [batch, inputSize, units] = [1 + Math.floor(rng.next() * 5), 1 + Math.floor(rng.next() * 5), 1 + Math.floor(rng.next() * 5)];
      const [kernel, bias, c, h] = cellWeights(rng, batch, inputSize, units);
      const data = randomPair(rng, [batch, inputSize], 'float32', 1);
      const forgetBias = randomPair(rng, [], 'float32', 1);
      const what = `batch ${batch}, input ${inputSize}, units ${units}`;
      const [ourC, ourH] = km.basicLSTMCell(forgetBias.km, kernel.km, bias.km, data.km, c.km, h.km);
      const [theirC, theirH] = tf.basicLSTMCell(forgetBias.tf as tf.Scalar, kernel.tf as tf.Tensor2D, bias.tf as tf.Tensor1D, data.tf as tf.Tensor2D, c.tf as tf.Tensor2D, h.tf as tf.Tensor2D);
      expectCloseToTfjs(ourC, theirC, `${what}: newC`);
      expectCloseToTfjs(ourH, theirH, `${what}: newH`);
      expectSameGradients(rng, {
        km: (fb, k, b, x, c0, h0) => { const [nc, nh] = km.basicLSTMCell(fb, k, b, x, c0, h0); return km.concat([nc, nh], 1); },
        tf: (fb, k, b, x, c0, h0) => { const [nc, nh] = tf.basicLSTMCell(fb as tf.Scalar, k as tf.Tensor2D, b as tf.Tensor1D, x as tf.Tensor2D, c0 as tf.Tensor2D, h0 as tf.Tensor2D); return tf.concat([nc, nh], 1); },
      }, [forgetBias, kernel, bias, data, c, h], what, expectCloseToTfjs);
    }
  });

  it('multiRNNCell: two stacked cells of different sizes, values and gradients of every argument', () => {
    const rng = new Random(92);
    for (let trial = 0; trial < 6; trial++) {
      const [batch, inputSize, u1, u2] = [1 + Math.floor(rng.next() * 4), 1 + Math.floor(rng.next() * 5), 1 + Math.floor(rng.next() * 5), 1 + Math.floor(rng.next() * 5)];
      const [k1, b1, c1, h1] = cellWeights(rng, batch, inputSize, u1);
      const [k2, b2, c2, h2] = cellWeights(rng, batch, u1, u2);
      const data = randomPair(rng, [batch, inputSize], 'float32', 1);
      const ours = (k1: Tensor, b1: Tensor, k2: Tensor, b2: Tensor, x: Tensor, c1: Tensor, h1: Tensor, c2: Tensor, h2: Tensor) => {
        const cells = [(x_: Tensor, c: Tensor, h: Tensor) => km.basicLSTMCell(1, k1, b1, x_, c, h), (x_: Tensor, c: Tensor, h: Tensor) => km.basicLSTMCell(1, k2, b2, x_, c, h)];
        const [cs, hs] = km.multiRNNCell(cells, x, [c1, c2], [h1, h2]);
        return km.concat([...cs, ...hs], 1);
      };
      const theirs = (k1: tf.Tensor, b1: tf.Tensor, k2: tf.Tensor, b2: tf.Tensor, x: tf.Tensor, c1: tf.Tensor, h1: tf.Tensor, c2: tf.Tensor, h2: tf.Tensor) => {
        const one = tf.scalar(1);
        const cells = [(x_: tf.Tensor2D, c: tf.Tensor2D, h: tf.Tensor2D) => tf.basicLSTMCell(one, k1 as tf.Tensor2D, b1 as tf.Tensor1D, x_, c, h), (x_: tf.Tensor2D, c: tf.Tensor2D, h: tf.Tensor2D) => tf.basicLSTMCell(one, k2 as tf.Tensor2D, b2 as tf.Tensor1D, x_, c, h)];
        const [cs, hs] = tf.multiRNNCell(cells, x as tf.Tensor2D, [c1, c2] as tf.Tensor2D[], [h1, h2] as tf.Tensor2D[]);
        return tf.concat([...cs, ...hs], 1);
      };
      expectSameGradients(rng, { km: ours as (...xs: Tensor<'float32'>[]) => Tensor, tf: theirs as (...xs: tf.Tensor[]) => tf.Tensor }, [k1, b1, k2, b2, data, c1, h1, c2, h2], `batch ${batch}, input ${inputSize}, units ${u1} then ${u2}`, expectCloseToTfjs);
    }
  });

  it('are reachable from the package root', () => {
    expect(kmRoot.basicLSTMCell).toBe(km.basicLSTMCell);
    expect(kmRoot.multiRNNCell).toBe(km.multiRNNCell);
  });

  it('name shapes that do not fit, and bad cell lists', () => {
    const t = (shape: number[]) => kmRoot.zeros(shape);
    expect(() => km.basicLSTMCell(1, t([6, 8]), t([8]), t([3, 3]), t([3, 2]), t([3, 2]))).toThrow(
      'km.basicLSTMCell(): the shapes do not fit an LSTM of u units: data [batch, inputSize], c and h [batch, u], lstmKernel [inputSize + u, 4u], lstmBias [4u] and forgetBias a scalar. ' +
        'Received: forgetBias.shape=[], lstmKernel.shape=[6, 8], lstmBias.shape=[8], data.shape=[3, 3], c.shape=[3, 2], h.shape=[3, 2].',
    );
    expect(() => km.basicLSTMCell(1, t([5, 8]), t([7]), t([3, 3]), t([3, 2]), t([3, 2]))).toThrow(/lstmBias\.shape=\[7\]/);
    expect(() => km.basicLSTMCell(1, t([5, 8]), t([8]), t([3, 3]), t([2, 2]), t([3, 2]))).toThrow(/c\.shape=\[2, 2\]/);
    expect(() => km.basicLSTMCell([1, 2], t([5, 8]), t([8]), t([3, 3]), t([3, 2]), t([3, 2]))).toThrow(/forgetBias\.shape=\[2\]/);
    const cell = (x: Tensor, c: Tensor, h: Tensor) => km.basicLSTMCell(1, t([5, 8]), t([8]), x, c, h);
    expect(() => km.multiRNNCell([cell], t([3, 3]), [t([3, 2])], [])).toThrow('km.multiRNNCell(): c and h must be arrays of one state per cell (1 cells). Received: c has 1, h has 0.');
    expect(() => km.multiRNNCell([cell, 3 as never], t([3, 3]), [], [])).toThrow(/lstmCells must be an array of functions \(data, c, h\) => \[newC, newH\]/);
  });
});
