// km.softmax, km.logSoftmax and km.logSumExp against tfjs-core's (CPU backend): values to the bit,
// gradients against tf.grads within float32 rounding (tfjs writes each gradient by a formula; kerasm's
// tape differentiates the composed ops). Also km.reshape, km.slice and km.scalar.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { expectSameAsTfjs, randomAxis, randomPair, randomShape } from '../testing/tfjs_op_parity.js';
import { Random } from '../utils/random.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function expectClose(ours: km.Tensor, theirs: tf.Tensor, what: string): void {
  expect([...ours.shape], what).toEqual(theirs.shape);
  const [a, b] = [ours.dataSync(), theirs.dataSync()];
  a.forEach((v, i) => expect(Math.abs(v - b[i]), `${what}[${i}]: ${v} vs ${b[i]}`).toBeLessThanOrEqual(2e-6 * Math.max(1, Math.abs(b[i]))));
}

describe('softmax and its kin', () => {
  it('equal tfjs in value to the bit and in gradient to float32 rounding, along random axes', () => {
    const rng = new Random(12);
    for (let trial = 0; trial < 30; trial++) {
      const shape = randomShape(rng, 1 + (trial % 3), 5);
      const x = randomPair(rng, shape, 'float32', 4);
      const dy = (y: tf.Tensor) => randomPair(rng, y.shape, 'float32', 1);
      const axis = Math.floor(rng.next() * shape.length) - (trial % 2 === 0 ? shape.length : 0);
      const reduceAxis = randomAxis(rng, shape.length);
      const keepDims = trial % 4 === 1;
      const twins: [string, (t: km.Tensor) => km.Tensor, (t: tf.Tensor) => tf.Tensor][] = [
        ['softmax', (t) => km.softmax(t, axis), (t) => tf.softmax(t, axis)],
        ['logSoftmax', (t) => km.logSoftmax(t, axis), (t) => tf.logSoftmax(t, axis)],
        ['logSumExp', (t) => km.logSumExp(t, reduceAxis, keepDims), (t) => tf.logSumExp(t, reduceAxis ?? undefined, keepDims)],
      ];
      for (const [name, ours, theirs] of twins) {
        // tfjs' softmax and logSoftmax take the last axis only.
        if (name !== 'logSumExp' && axis !== -1 && axis !== shape.length - 1) continue;
        const what = `${name} of [${shape}] (axis ${name === 'logSumExp' ? JSON.stringify(reduceAxis) : axis})`;
        const weights = dy(theirs(x.tf));
        expectSameAsTfjs(ours(x.km), theirs(x.tf), `${what}: value`);
        expectClose(km.grad(ours)(x.km, weights.km), tf.grad(theirs)(x.tf, weights.tf), `${what}: gradient`);
      }
    }
  });

  it('a cross-entropy from logits written with logSoftmax has the gradient softmax − target', () => {
    const logits = km.tensor([[2, -1, 0.5], [0, 3, -2]]);
    const target = km.tensor([[0, 1, 0], [1, 0, 0]]);
    const crossEntropy = (z: km.Tensor) => km.neg(km.sum(km.mul(target, km.logSoftmax(z)), -1));
    const expected = km.sub(km.softmax(logits), target).arraySync() as number[][];
    (km.grad(crossEntropy)(logits).arraySync() as number[][]).forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(expected[i][j], 6)));
  });

  it('km.reshape, km.slice and km.scalar are tfjs\', and pass gradients', () => {
    const x = km.tensor([[1, 2, 3], [4, 5, 6]]);
    expectSameAsTfjs(km.reshape(x, [3, -1]), tf.reshape(tf.tensor([[1, 2, 3], [4, 5, 6]]), [3, -1]), 'reshape');
    expectSameAsTfjs(km.slice(x, [0, 1], [-1, 2]), tf.slice(tf.tensor([[1, 2, 3], [4, 5, 6]]), [0, 1], [-1, 2]), 'slice');
    expectSameAsTfjs(km.scalar(2.5), tf.scalar(2.5), 'scalar');
    expectSameAsTfjs(km.scalar(-3, 'int32'), tf.scalar(-3, 'int32'), 'int32 scalar');
    expect(km.grad((t) => km.slice(km.reshape(t, [3, 2]), [1, 0], [1, 2]).sum())(x).arraySync()).toEqual([[0, 0, 1], [1, 0, 0]]);
    expect(() => km.scalar('1' as unknown as number)).toThrow('km.scalar() takes a number. Received: string "1".');
    expect(() => km.softmax(km.tensor([1, 2], [2], 'int32'))).toThrow("km.softmax() takes float32 logits. Cast them first: km.cast(x, 'float32'). Received: x.dtype='int32'.");
  });
});
