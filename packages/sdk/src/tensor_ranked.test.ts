// km.tensor1d … tensor4d make the tensors tfjs' factories of those names make, and check the rank.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import * as km from './index.js';

describe('rank-checked tensor factories', () => {
  it('give the shape, dtype and values tfjs gives', async () => {
    await tf.setBackend('cpu');
    const cases: [keyof typeof km & `tensor${number}d`, unknown[]][] = [
      ['tensor1d', [[1, 2, 3]]],
      ['tensor1d', [[0, 2, 1], 'int32']],
      ['tensor2d', [[[1, 2], [3, 4], [5, 6]]]],
      ['tensor2d', [new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]]],
      ['tensor3d', [[1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2], 'int32']],
      ['tensor4d', [[[[[1], [2]], [[3], [4]]]]]],
    ];
    for (const [name, args] of cases) {
      const ours = (km[name] as (...a: unknown[]) => km.Tensor)(...args);
      const theirs = (tf[name] as (...a: unknown[]) => tf.Tensor)(...args);
      expect([ours.shape, ours.dtype, Array.from(ours.dataSync())]).toEqual([theirs.shape, theirs.dtype, Array.from(theirs.dataSync())]);
    }
  });

  it('refuse another rank, naming the shape to give', () => {
    expect(() => km.tensor2d([1, 2, 3, 4])).toThrow('km.tensor2d() needs the shape of flat values: km.tensor2d(values, [rows, cols]).');
    expect(() => km.tensor3d(new Float32Array(8))).toThrow('km.tensor3d() needs the shape of flat values: km.tensor3d(values, [d0, d1, d2]).');
    expect(() => km.tensor2d([[[1]]])).toThrow('km.tensor2d() makes a tensor of rank 2, but the values have shape [1, 1, 1] (rank 3). Use km.tensor(values) for any rank.');
    expect(() => km.tensor1d([[1, 2]])).toThrow('km.tensor1d() makes a tensor of rank 1, but the values have shape [1, 2] (rank 2).');
  });

  it('name the argument order when a dtype or a shape is in the wrong place', () => {
    // @ts-expect-error kerasm's earlier tensor1d took a shape second; tfjs takes the dtype there
    expect(() => km.tensor1d([1, 2], [2])).toThrow("km.tensor1d() takes the dtype second, as tfjs does, not a shape: the shape is the values' length. km.tensor1d(values, 'int32')");
    // @ts-expect-error a dtype where the shape goes
    expect(() => km.tensor2d([[1, 2]], 'int32')).toThrow("km.tensor2d() takes the shape second and the dtype third, as tfjs does: km.tensor2d(values, undefined, 'int32').");
    // @ts-expect-error a dtype where the shape goes
    expect(() => km.tensor([1, 2], 'int32')).toThrow("km.tensor() takes the shape second and the dtype third, as tfjs does: km.tensor(values, undefined, 'int32').");
  });
});
