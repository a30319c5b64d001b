import { describe, expect, it } from 'vitest';
import { tensor } from '../tensor.js';
import { toCategorical } from './to_categorical.js';

describe('toCategorical', () => {
  it('one-hot encodes an array, inferring numClasses as max + 1', () => {
    const y = toCategorical([0, 2, 1, 2]);
    expect(y.dtype).toBe('float32');
    expect(y.shape).toEqual([4, 3]);
    expect(y.arraySync()).toEqual([
      [1, 0, 0],
      [0, 0, 1],
      [0, 1, 0],
      [0, 0, 1],
    ]);
  });

  it('honours an explicit numClasses larger than the labels need', () => {
    expect(toCategorical(new Int32Array([1, 0]), 4).arraySync()).toEqual([
      [0, 1, 0, 0],
      [1, 0, 0, 0],
    ]);
  });

  it('accepts int32 and integer-valued float32 tensors, keeping their shape', () => {
    expect(toCategorical(tensor([3, 1], undefined, 'int32'), 4).shape).toEqual([2, 4]);
    const grid = toCategorical(tensor([[0, 1], [1, 0]]), 2);
    expect(grid.shape).toEqual([2, 2, 2]);
    expect(grid.arraySync()).toEqual([
      [[1, 0], [0, 1]],
      [[0, 1], [1, 0]],
    ]);
  });

  it('drops a trailing axis of size 1, as Keras does', () => {
    expect(toCategorical(tensor([[2], [0]], undefined, 'int32')).shape).toEqual([2, 3]);
    expect(toCategorical(tensor([1], undefined, 'int32')).shape).toEqual([1, 2]);
  });

  it('handles empty labels with numClasses', () => {
    expect(toCategorical([], 3).shape).toEqual([0, 3]);
    expect(() => toCategorical([])).toThrow(/cannot infer numClasses from empty labels; pass numClasses/);
  });

  it('names a non-integer label and its index', () => {
    expect(() => toCategorical([0, 1, 1.5])).toThrow(/label 1\.5 at index 2 is not one/);
    expect(() => toCategorical(tensor([0, Number.NaN]))).toThrow(/label NaN at index 1 is not one/);
  });

  it('names a negative label and its index', () => {
    expect(() => toCategorical([0, -1, 2])).toThrow(/label -1 at index 1 is negative/);
  });

  it('names a label >= numClasses, its index and the numClasses that would fit', () => {
    expect(() => toCategorical([0, 3, 9, 1], 5)).toThrow(/got label 9 at index 2, but numClasses=5 allows labels 0 \.\. 4\. Pass numClasses=10 or more/);
  });

  it('rejects a numClasses that is not a positive integer', () => {
    expect(() => toCategorical([0], 0)).toThrow(/numClasses to be a positive integer; received numClasses=0/);
    expect(() => toCategorical([0], 2.5)).toThrow(/received numClasses=2\.5/);
  });
});
