import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { Tensor, tensor, type TensorLike } from './tensor.js';

describe('tensor', () => {
  it('infers shape and dtype from nested arrays and typed arrays', () => {
    const t = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('float32');
    expect(t.arraySync()).toEqual([[1, 2, 3], [4, 5, 6]]);
    const i = tensor(new Int32Array([1, 2, 3, 4]), [2, 2]);
    expect(i.dtype).toBe('int32');
    expect(i.arraySync()).toEqual([[1, 2], [3, 4]]);
    expect(tensor(3).shape).toEqual([]);
    expect(tensor(3).arraySync()).toBe(3);
  });

  it('reads values synchronously and asynchronously', async () => {
    const t = tensor([1.5, 2.5]);
    expect(Array.from(await t.data())).toEqual([1.5, 2.5]);
    expect(await t.array()).toEqual([1.5, 2.5]);
  });

  it('slices along the first axis and reshapes with an inferred dimension', () => {
    const t = tensor(Float32Array.from({ length: 24 }, (_, i) => i), [4, 2, 3]);
    const s = t.slice(1, 2);
    expect(s.shape).toEqual([2, 2, 3]);
    expect(s.dataSync()[0]).toBe(6);
    expect(t.slice(3).shape).toEqual([1, 2, 3]);
    expect(t.reshape([-1, 6]).shape).toEqual([4, 6]);
    expect(() => t.slice(3, 2)).toThrow(/^slice\(3, 2\) is out of range on axis 0, which has 4 entries \(shape \[4, 2, 3\]\)/);
    expect(() => t.reshape([5, -1])).toThrow(/Cannot reshape 24 values to \[5, -1\]/);
  });

  it('rejects bad values with messages that name them', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(/ragged: expected length 2 at depth 1, found 1/);
    expect(() => tensor([1, 2, 3], [2, 2])).toThrow(/Shape \[2, 2\] holds 4 values, but 3 were given/);
    expect(() => tensor([1.5], undefined, 'int32')).toThrow(/value 1.5 at index 0 is not one/);
    // Int32Array.from would wrap these silently, as tf.tensor does.
    expect(() => tensor([1, 2 ** 31], undefined, 'int32')).toThrow(/value 2147483648 at index 1 is not one/);
    expect(() => tensor([[-(2 ** 31) - 1]], undefined, 'int32')).toThrow(/value -2147483649 at index 0 is not one/);
    expect(tensor([2 ** 31 - 1, -(2 ** 31)], undefined, 'int32').dataSync()).toEqual(new Int32Array([2 ** 31 - 1, -(2 ** 31)]));
    expect(() => tensor([1], undefined, 'bool' as never)).toThrow("km.tensor(): dtype must be 'float32' or 'int32', the dtypes kerasm supports; received \"bool\". For a mask, use 'int32' with 0 and 1.");
  });

  it('throws after dispose', () => {
    const t = tensor([1, 2]);
    t.dispose();
    expect(t.isDisposed).toBe(true);
    expect(() => t.dataSync()).toThrow(/disposed/);
  });
});

describe('typed arrays as rows, as tfjs takes them', () => {
  const f32 = (...v: number[]) => new Float32Array(v);
  const i32 = (...v: number[]) => new Int32Array(v);

  it('gives the shape, dtype and values tfjs-core gives', async () => {
    await tf.setBackend('cpu');
    const cases: [string, TensorLike, ('float32' | 'int32')?][] = [
      ['Float32Array rows', [f32(1, 2), f32(3, 4)]],
      ['Int32Array rows', [i32(1, 2), i32(3, 4)]],
      ['one row', [f32(1, 2, 3)]],
      ['rows two levels down', [[f32(1, 2), f32(3, 4)], [f32(5, 6), f32(7, 8)]]],
      ['an array of numbers, then a typed row', [[1, 2], f32(3, 4)]],
      ['a typed row, then an array of numbers', [f32(3, 4), [1, 2]]],
      ['a Float32Array row, then an Int32Array row', [f32(1.5, 2), i32(3, 4)]],
      ['empty rows', [f32(), f32()]],
      ['int32 asked for', [f32(1, 2), f32(3, 4)], 'int32'],
    ];
    for (const [what, values, dtype] of cases) {
      const ours = tensor(values, undefined, dtype);
      const theirs = tf.tensor(values as tf.TensorLike, undefined, dtype);
      expect([what, ours.shape, ours.dtype, Array.from(ours.dataSync())]).toEqual([what, theirs.shape, theirs.dtype, Array.from(theirs.dataSync())]);
    }
  });

  it('infers int32 only when every row is an Int32Array, where tfjs follows the first row', () => {
    // tfjs makes this int32 and truncates 3.5 to 3; kerasm keeps the values.
    const mixed = tensor([i32(1, 2), f32(3.5, 4)]);
    expect([mixed.dtype, Array.from(mixed.dataSync())]).toEqual(['float32', [1, 2, 3.5, 4]]);
    expect(tensor([i32(1, 2), [3, 4]]).dtype).toBe('float32');
    // Uint8Array rows are float32 like a flat Uint8Array (pixels to scale), where tfjs makes int32.
    expect(tensor([new Uint8Array([1, 2])]).dtype).toBe(tensor(new Uint8Array([1, 2])).dtype);
    expect(tensor(new Uint8Array([1, 2])).dtype).toBe('float32');
    expect(() => tensor([i32(1, 2), f32(3.5, 4)], undefined, 'int32')).toThrow(/value 3.5 at index 2 is not one/);
  });

  it('refuses ragged rows, which tfjs-core lets through', () => {
    // tfjs-core 4.22 makes shape [2, 2] from these three values.
    expect(() => tensor([f32(1, 2), f32(3)])).toThrow('Nested arrays are ragged: expected length 2 at depth 1, found 1. All rows must have the same length.');
    expect(() => tensor([[1, 2, 3], f32(3, 4)])).toThrow(/ragged: expected length 3 at depth 1, found 2/);
    expect(() => tensor([f32(1, 2), 3] as TensorLike)).toThrow('Nested arrays are ragged: a number appears where an array was expected. All rows must have the same depth.');
    expect(() => tensor([3, f32(1, 2)] as TensorLike)).toThrow('Nested arrays are ragged: a Float32Array appears where a number was expected. All rows must have the same depth.');
    expect(() => tensor([[[1, 2], [3, 4]], f32(5, 6)])).toThrow('Nested arrays are ragged: a Float32Array row appears where an array was expected. All rows must have the same depth.');
    expect(() => tensor([f32(1, 2), [[1, 2], [3, 4]]])).toThrow('Nested arrays are ragged: an array appears where a number was expected. All rows must have the same depth.');
    expect(() => tensor([[1, 2], [[1, 2], [3, 4]]] as TensorLike)).toThrow('Nested arrays are ragged: an array appears where a number was expected. All rows must have the same depth.');
    expect(() => tensor([new DataView(new ArrayBuffer(4))] as never)).toThrow('Tensor values must be numbers, arrays of them or typed arrays; received DataView.');
  });
});

describe('a tensor whose values are still on a device', () => {
  /** Device values that count how they were read and released. */
  function deviceValues(values: number[]) {
    const calls = { read: 0, readAsync: 0, release: 0 };
    const device = {
      read: () => (calls.read++, Float32Array.from(values)),
      readAsync: async () => (calls.readAsync++, Float32Array.from(values)),
      release: () => void calls.release++,
    };
    return { calls, device };
  }

  it('reads them once, asynchronously when asked with data(), and frees the device copy after', async () => {
    const { calls, device } = deviceValues([1, 2, 3, 4]);
    const t = new Tensor<'float32'>(device, [2, 2], 'float32');
    const [a, b] = await Promise.all([t.data(), t.array()]);
    expect(Array.from(a)).toEqual([1, 2, 3, 4]);
    expect(b).toEqual([[1, 2], [3, 4]]);
    expect(t.arraySync()).toEqual([[1, 2], [3, 4]]);
    expect(calls).toEqual({ read: 0, readAsync: 1, release: 1 });
  });

  it('blocks on dataSync when the caller reads synchronously', () => {
    const { calls, device } = deviceValues([5, 6]);
    const t = new Tensor<'float32'>(device, [2], 'float32');
    expect(Array.from(t.dataSync())).toEqual([5, 6]);
    expect(Array.from(t.clone().dataSync())).toEqual([5, 6]);
    expect(calls).toEqual({ read: 1, readAsync: 0, release: 1 });
  });

  it('frees the device copy unread on dispose, and refuses reads after', async () => {
    const { calls, device } = deviceValues([7]);
    const t = new Tensor<'float32'>(device, [1], 'float32');
    t.dispose();
    t.dispose();
    expect(calls).toEqual({ read: 0, readAsync: 0, release: 1 });
    expect(t.isDisposed).toBe(true);
    await expect(t.data()).rejects.toThrow(/This tensor was disposed/);
    expect(() => t.dataSync()).toThrow(/This tensor was disposed/);
  });

  it('does not hand out values read after it was disposed mid-read', async () => {
    const { calls, device } = deviceValues([8]);
    const t = new Tensor<'float32'>(device, [1], 'float32');
    const reading = t.data();
    t.dispose();
    await expect(reading).rejects.toThrow(/This tensor was disposed/);
    expect(calls.release).toBe(1);
  });
});
