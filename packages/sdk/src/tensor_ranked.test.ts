// km.tensor1d … tensor4d make the tensors tfjs' factories of those names make, and check the rank.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import * as km from './index.js';

describe('rank-checked tensor factories', () => {
  it('give the shape, dtype and values tfjs gives', async () => {
    await tf.setBackend('cpu');
    const cases: [keyof typeof km & `tensor${number}d`, Parameters<typeof km.tensor2d>][] = [
      ['tensor1d', [[1, 2, 3]]],
      ['tensor2d', [[[1, 2], [3, 4], [5, 6]]]],
      ['tensor2d', [new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]]],
      ['tensor3d', [[1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2], 'int32']],
      ['tensor4d', [[[[[1], [2]], [[3], [4]]]]]],
    ];
    for (const [name, args] of cases) {
      const ours = km[name](...args);
      const theirs = (tf[name] as (...a: unknown[]) => tf.Tensor)(...args);
      expect([ours.shape, ours.dtype, Array.from(ours.dataSync())]).toEqual([theirs.shape, theirs.dtype, Array.from(theirs.dataSync())]);
    }
  });

  it('refuse another rank, naming the shape to give', () => {
    expect(() => km.tensor2d([1, 2, 3, 4])).toThrow('km.tensor2d() needs the shape of flat values: km.tensor2d(values, [rows, cols]).');
    expect(() => km.tensor3d(new Float32Array(8))).toThrow('km.tensor3d() needs the shape of flat values: km.tensor3d(values, [d0, d1, d2]).');
    expect(() => km.tensor2d([[[1]]])).toThrow('km.tensor2d() makes a tensor of rank 2, but the values have shape [1, 1, 1] (rank 3). Use km.tensor(values) for any rank.');
    expect(() => km.tensor1d([1, 2], [1, 2])).toThrow('km.tensor1d() takes a shape of 1 number, [length]; received [1, 2]. km.tensor(values, shape) takes any rank.');
  });
});
