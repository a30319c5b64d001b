import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from './index.js';

beforeAll(() => tf.setBackend('cpu'));

describe('tensor.slice takes tf.slice arguments', () => {
  const shape = [4, 5, 3, 2];
  const values = Float32Array.from({ length: 120 }, (_, i) => i * 1.5 - 7);
  const ours = km.tensor(values, shape);
  const theirs = tf.tensor(values, shape);

  it.each([
    ['a number: samples along axis 0', 1, 2],
    ['a number, to the end', 3, undefined],
    ['a number with size -1', 2, -1],
    ['a box on every axis', [1, 2, 0, 1], [2, 3, 3, 1]],
    ['a short list, the other axes whole', [0, 4], [4, 1]],
    ['sizes of -1 mixed in', [1, 1, 1, 0], [-1, 3, -1, 1]],
    ['an empty box', [2, 0, 0, 0], [0, 5, 3, 2]],
  ] as const)('%s matches tf.slice', (_label, begin, size) => {
    const got = ours.slice(begin as number | number[], size as number | number[] | undefined);
    const expected = tf.slice(theirs, begin as number | number[], size as number | number[] | undefined);
    expect(got.shape).toEqual(expected.shape);
    expect(Array.from(got.dataSync())).toEqual(Array.from(expected.dataSync()));
  });

  it('keeps int32', () => {
    const labels = km.tensor([[1, 2, 3], [4, 5, 6]], undefined, 'int32').slice([0, 1], [2, 2]);
    expect(labels.dtype).toBe('int32');
    expect(labels.arraySync()).toEqual([[2, 3], [5, 6]]);
  });

  it('names the axis and the fix for a box out of range', () => {
    expect(() => ours.slice([0, 3], [1, 3])).toThrow(/^slice\(\[0,3\], \[1,3\]\) is out of range on axis 1, which has 5 entries \(shape \[4, 5, 3, 2\]\): use 0 <= begin and begin \+ size <= 5, or size -1/);
    expect(() => ours.slice([0, 0, 0, 0, 0])).toThrow(/gives more axes than the tensor's 4 \(shape \[4, 5, 3, 2\]\)/);
    expect(() => km.tensor(3).slice(0)).toThrow(/Cannot slice\(0\) a scalar tensor/);
    expect(() => ours.slice(-1)).toThrow(/out of range on axis 0/);
  });
});
