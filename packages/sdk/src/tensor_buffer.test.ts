import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from './index.js';

beforeAll(() => tf.setBackend('cpu'));

const SHAPES = [[], [5], [2, 3], [2, 3, 4], [3, 1, 2, 5], [2, 0, 3]];

describe('km.buffer matches tf.buffer', () => {
  it.each(SHAPES.map((s) => [s]))('shape [%s]: size, strides and the index ↔ location maps', (shape) => {
    const ours = km.buffer(shape);
    const theirs = tf.buffer(shape);
    expect(ours.size).toBe(theirs.size);
    expect(ours.rank).toBe(theirs.rank);
    expect([...ours.shape]).toEqual(theirs.shape);
    expect([...ours.strides]).toEqual(theirs.strides);
    expect(ours.dtype).toBe('float32');
    expect(ours.values).toEqual(theirs.values);
    for (let i = 0; i < ours.size; i++) {
      const loc = ours.indexToLoc(i);
      expect(loc).toEqual(theirs.indexToLoc(i));
      expect(ours.locToIndex(loc)).toBe(theirs.locToIndex(loc));
      expect(ours.locToIndex(loc)).toBe(i);
    }
  });

  it.each(['float32', 'int32'] as const)('the same set calls give the same values, get and toTensor (%s)', (dtype) => {
    const shape = [3, 4, 2];
    const ours = km.buffer(shape, dtype);
    const theirs = tf.buffer(shape, dtype);
    let state = 12345;
    const next = (n: number) => (state = (state * 1103515245 + 12345) % 2147483648) % n;
    for (let k = 0; k < 40; k++) {
      const loc = shape.map((d) => next(d));
      const value = dtype === 'int32' ? next(200) - 100 : (next(2000) - 1000) / 8;
      ours.set(value, ...loc);
      theirs.set(value, ...loc);
      expect(ours.get(...loc)).toBe(theirs.get(...loc));
    }
    expect(ours.values).toEqual(theirs.values);
    expect(ours.values).toBeInstanceOf(dtype === 'int32' ? Int32Array : Float32Array);
    const [t, u] = [ours.toTensor(), theirs.toTensor()];
    expect(t).toBeInstanceOf(km.Tensor);
    expect(t.dtype).toBe(u.dtype);
    expect([...t.shape]).toEqual(u.shape);
    expect(t.dataSync()).toEqual(u.dataSync());
    expect(t.arraySync()).toEqual(u.arraySync());
  });

  it('uses a typed array of its dtype in place, as tf.buffer does, and copies other arrays', () => {
    const shared = new Float32Array([1, 2, 3, 4, 5, 6]);
    const b = km.buffer([2, 3], 'float32', shared);
    expect(b.values).toBe(shared);
    expect(tf.buffer([2, 3], 'float32', shared).values).toBe(shared);
    b.set(9, 1, 2);
    expect(shared[5]).toBe(9);

    const copied = km.buffer([2, 2], 'int32', [1, 2, 3, 4]);
    expect(copied.values).toEqual(new Int32Array([1, 2, 3, 4]));
    expect(copied.toTensor().arraySync()).toEqual(tf.buffer([2, 2], 'int32', new Int32Array([1, 2, 3, 4])).toTensor().arraySync());
  });

  it('toTensor takes a copy: later writes do not change the tensor', () => {
    const b = km.buffer([2]);
    b.set(1, 0);
    const t = b.toTensor();
    b.set(7, 0);
    b.values[1] = 8;
    expect(t.arraySync()).toEqual([1, 0]);
    expect(b.toTensor().arraySync()).toEqual([7, 8]);
  });

  it('a scalar buffer takes no indices (tfjs refuses set on one)', () => {
    const b = km.buffer([]);
    b.set(4.5);
    expect(b.get()).toBe(4.5);
    expect(b.toTensor().arraySync()).toBe(4.5);
    expect(() => tf.buffer([]).set(4.5)).toThrow();
    expect(new km.TensorBuffer([2], 'int32').values).toEqual(new Int32Array(2));
  });
});

describe('km.buffer errors name the location, the shape and the fix', () => {
  const b = km.buffer([2, 3]);

  it('refuses dtypes kerasm lacks, naming what to use', () => {
    expect(() => km.buffer([2], 'bool' as never)).toThrow(/dtype must be 'float32' or 'int32'.*received "bool". For a mask, use 'int32' with 0 and 1/);
    expect(() => km.buffer([2], 'string' as never)).toThrow(/received "string".*integer id.*as 'int32'/);
    expect(() => km.buffer([2], 'complex64' as never)).toThrow(/received "complex64".*two 'float32' tensors/);
  });

  it('refuses bad shapes and values of the wrong length or kind', () => {
    expect(() => km.buffer([2, -1])).toThrow('km.buffer(): shape dimensions must be non-negative integers; received [2, -1].');
    expect(() => km.buffer([2.5])).toThrow('received [2.5]');
    expect(() => km.buffer(3 as never)).toThrow('km.buffer(): shape must be an array of dimensions, e.g. [2, 3]; received 3.');
    expect(() => km.buffer([2, 3], 'float32', [1, 2, 3, 4, 5])).toThrow(/shape \[2, 3\] holds 6 values, but values has 5/);
    expect(() => km.buffer([2], 'int32', [1, 2.5])).toThrow("km.buffer(): values[1] must be a 32-bit integer for dtype 'int32'; received values[1]=2.5. Round it, or use dtype 'float32'.");
    expect(() => km.buffer([2], 'float32', [1, 'a'] as never)).toThrow('km.buffer(): values[1] must be a number; received values[1]="a".');
  });

  it('set and get check the number of indices against the rank', () => {
    expect(() => b.set(1, 1)).toThrow(/TensorBuffer.set\(\): got 1 index \[1\] for shape \[2, 3\] \(rank 2\); pass one index per axis, e.g. set\(value, 0, 0\)/);
    expect(() => b.get(0, 1, 2)).toThrow(/TensorBuffer.get\(\): got 3 indices \[0, 1, 2\] for shape \[2, 3\] \(rank 2\); pass one index per axis, e.g. get\(0, 0\)/);
    expect(() => b.get()).toThrow(/got 0 indices \[\] for shape \[2, 3\]/);
    expect(() => km.buffer([]).set(1, 0)).toThrow(/for shape \[\] \(rank 0\); a scalar buffer takes none: set\(value\)/);
  });

  it('set and get refuse out-of-range, negative and fractional indices', () => {
    expect(() => b.set(1, 1, 3)).toThrow(/TensorBuffer.set\(\): location \[1, 3\] is outside shape \[2, 3\]: index 3 on axis 1 must be an integer in \[0, 3\)\./);
    expect(() => b.get(2, 0)).toThrow(/TensorBuffer.get\(\): location \[2, 0\] is outside shape \[2, 3\]: index 2 on axis 0/);
    expect(() => b.get(0, -1)).toThrow(/index -1 on axis 1 must be an integer in \[0, 3\) \(negative indices do not count from the end\)/);
    expect(() => b.set(1, 0.5, 0)).toThrow(/location \[0.5, 0\] is outside shape \[2, 3\]: index 0.5 on axis 0/);
    expect(() => km.buffer([2, 0]).set(1, 0, 0)).toThrow(/axis 1 has size 0, so the buffer holds no values/);
    expect(b.values).toEqual(new Float32Array(6));
  });

  it('set refuses values that are not numbers, and fractions in an int32 buffer', () => {
    expect(() => b.set(undefined as never, 0, 1)).toThrow('TensorBuffer.set(): value must be a number; received value=undefined.');
    expect(() => km.buffer([2], 'int32').set(2.7, 1)).toThrow("TensorBuffer.set(): value must be a 32-bit integer for dtype 'int32'; received value=2.7.");
  });

  it('locToIndex and indexToLoc check their arguments', () => {
    expect(() => b.locToIndex([0, 3])).toThrow(/TensorBuffer.locToIndex\(\): location \[0, 3\] is outside shape \[2, 3\]/);
    expect(() => b.locToIndex(1 as never)).toThrow(/takes the location as one array, e.g. locToIndex\(\[1, 2\]\); received 1/);
    expect(() => b.indexToLoc(6)).toThrow(/TensorBuffer.indexToLoc\(\): index 6 is outside the 6 values of shape \[2, 3\]; it must be an integer in \[0, 6\)/);
  });
});

describe('tensor.bufferSync() and tensor.buffer() match tfjs', () => {
  const CASES: Array<[number[], km.DType]> = [[[], 'float32'], [[5], 'int32'], [[2, 3], 'float32'], [[2, 3, 4], 'int32'], [[2, 0, 3], 'float32']];
  const valuesOf = (shape: number[], dtype: km.DType) =>
    Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => (dtype === 'int32' ? i * 3 - 7 : i / 4 - 2.5));

  it.each(CASES)('shape [%s], %s: the shape, dtype, strides, values and toTensor of tfjs', async (shape, dtype) => {
    const values = valuesOf(shape, dtype);
    const t = km.tensor(values, shape, dtype);
    const u = tf.tensor(values, shape, dtype);
    for (const [ours, theirs] of [[t.bufferSync(), u.bufferSync()], [await t.buffer(), await u.buffer()]] as const) {
      expect(ours).toBeInstanceOf(km.TensorBuffer);
      expect(ours.dtype).toBe(theirs.dtype);
      expect([...ours.shape]).toEqual(theirs.shape);
      expect([...ours.strides]).toEqual(theirs.strides);
      expect(ours.values).toEqual(theirs.values);
      for (let i = 0; i < ours.size; i++) expect(ours.get(...ours.indexToLoc(i))).toBe(theirs.get(...theirs.indexToLoc(i)));
      const [v, w] = [ours.toTensor(), theirs.toTensor()];
      expect(v.dtype).toBe(w.dtype);
      expect([...v.shape]).toEqual(w.shape);
      expect(v.dataSync()).toEqual(w.dataSync());
    }
  });

  it("holds a copy: writes to the buffer never reach the tensor (tfjs' CPU backend shares the tensor's storage)", async () => {
    const t = km.tensor([[1, 2], [3, 4]]);
    for (const b of [t.bufferSync(), await t.buffer()]) {
      b.set(99, 0, 0);
      b.values[1] = 77;
      expect(t.arraySync()).toEqual([[1, 2], [3, 4]]);
      expect(b.toTensor().arraySync()).toEqual([[99, 77], [3, 4]]);
    }
    const u = tf.tensor([[1, 2], [3, 4]]);
    u.bufferSync().set(99, 0, 0);
    expect(u.arraySync()).toEqual([[99, 2], [3, 4]]);
  });

  it('keeps the dtype through set and toTensor, as tfjs does', () => {
    const b = km.tensor([3, 1, 4], undefined, 'int32').bufferSync();
    const theirs = tf.tensor([3, 1, 4], undefined, 'int32').bufferSync();
    b.set(2, 1);
    theirs.set(2, 1);
    expect(() => b.set(2.5, 0)).toThrow("TensorBuffer.set(): value must be a 32-bit integer for dtype 'int32'; received value=2.5.");
    const edited = b.toTensor();
    expect(edited.dtype).toBe('int32');
    expect(edited.dataSync()).toEqual(new Int32Array([3, 2, 4]));
    expect(edited.arraySync()).toEqual(theirs.toTensor().arraySync());
  });

  it('carries NaN and ±Infinity, as tfjs does', () => {
    const values = [NaN, Infinity, -Infinity, 0];
    expect(km.tensor(values).bufferSync().values).toEqual(tf.tensor(values).bufferSync().values);
  });

  it('refuses a disposed tensor as dataSync() and data() do (tfjs: "Tensor is disposed.")', async () => {
    const t = km.tensor([1, 2]);
    t.dispose();
    expect(() => t.bufferSync()).toThrow(/^This tensor was disposed; its values are gone/);
    await expect(t.buffer()).rejects.toThrow(/^This tensor was disposed; its values are gone/);
    const u = tf.tensor([1, 2]);
    u.dispose();
    expect(() => u.bufferSync()).toThrow('Tensor is disposed');
    await expect(u.buffer()).rejects.toThrow('Tensor is disposed');
  });

  it('buffer() reads values still on a device without blocking, where bufferSync() must block', async () => {
    const device = {
      read: (): Float32Array => {
        throw new Error('this device cannot read synchronously');
      },
      readAsync: async () => Float32Array.from([1, 2]),
      release: () => {},
    };
    expect(() => new km.Tensor<'float32'>(device, [2], 'float32').bufferSync()).toThrow('this device cannot read synchronously');
    expect((await new km.Tensor<'float32'>(device, [2], 'float32').buffer()).values).toEqual(new Float32Array([1, 2]));
  });
});
