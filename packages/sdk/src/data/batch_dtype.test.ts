import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { plain, tfd, tfjsReady, thrown } from './testing/tfjs_data.js';

beforeAll(tfjsReady);

/** Makes a tensor row in either library, so one case builds the same rows for both. */
type MakeTensor = (values: number[], dtype: 'float32' | 'int32') => unknown;
const kmTensor: MakeTensor = (values, dtype) => km.tensor(values, undefined, dtype);
const tfTensor: MakeTensor = (values, dtype) => tf.tensor(values, undefined, dtype);

async function kerasmBatch(rows: unknown[]): Promise<unknown> {
  return (await km.data.array(rows).batch(rows.length).toArray())[0];
}

async function tfjsBatch(rows: unknown[]): Promise<unknown> {
  return (await tfd.array(rows as never[]).batch(rows.length).toArray())[0];
}

describe("batch dtypes, as tfjs-data's batch gives them", () => {
  it('the first value of the first element sets the dtype, with the same values as tfjs', async () => {
    const cases: [string, (tensor: MakeTensor) => unknown[]][] = [
      ['integer numbers', () => [1, 2, 3]],
      ['negative integers', () => [-1, -2]],
      ['floats', () => [1.5, 2, 3]],
      ['an integer, then a float', () => [1, 2.5]],
      ['a float, then an integer', () => [2.5, 1]],
      ['arrays of integers', () => [[1, 2], [3, 4]]],
      ['arrays of floats', () => [[1, 2.5], [3, 4]]],
      ['empty arrays', () => [[], []]],
      ['Uint8Array rows', () => [Uint8Array.of(1, 2), Uint8Array.of(3, 255)]],
      ['Uint8ClampedArray rows', () => [Uint8ClampedArray.of(1, 2), Uint8ClampedArray.of(3, 255)]],
      ['Int32Array rows', () => [Int32Array.of(1, -2), Int32Array.of(3, 4)]],
      ['Float32Array rows', () => [Float32Array.of(1, 2), Float32Array.of(3.5, 4)]],
      ['an Int32Array, then a Float32Array of whole numbers', () => [Int32Array.of(1, 2), Float32Array.of(3, 4)]],
      ['a Float32Array, then an Int32Array', () => [Float32Array.of(1.5, 2), Int32Array.of(3, 4)]],
      ['an Int32Array, then an array of numbers', () => [Int32Array.of(1, 2), [3, 4]]],
      ['a Uint8Array, then an Int32Array', () => [Uint8Array.of(1, 2), Int32Array.of(-3, 4)]],
      ['arrays of Int32Array rows', () => [[Int32Array.of(1), Int32Array.of(2)], [Int32Array.of(3), Int32Array.of(4)]]],
      ['arrays of a number and an Int32Array row', () => [[[1], Int32Array.of(2)], [[3], Int32Array.of(4)]]],
      ['int32 tensors', (t) => [t([1, 2], 'int32'), t([3, 4], 'int32')]],
      ['float32 tensors', (t) => [t([1, 2], 'float32'), t([3.5, 4], 'float32')]],
      ['objects of numbers and typed arrays', () => [{ x: 1, y: Uint8Array.of(7), z: Float32Array.of(0.5) }, { x: 2, y: Uint8Array.of(9), z: Float32Array.of(1) }]],
    ];
    for (const [name, rows] of cases) {
      expect([name, plain(await kerasmBatch(rows(kmTensor)))]).toEqual([name, plain(await tfjsBatch(rows(tfTensor)))]);
    }
  });

  it('refuses a value an int32 batch would change, where tfjs truncates it', async () => {
    const truncated = plain(await tfjsBatch([Int32Array.of(1, 2), Float32Array.of(3.5, 4)])) as { dtype: string; values: number[] };
    expect(truncated.dtype).toBe('int32');
    expect(truncated.values[2]).toBe(Math.trunc(3.5));
    await expect(kerasmBatch([Int32Array.of(1, 2), Float32Array.of(3.5, 4)])).rejects.toThrow(
      /batch\(\): the element of element 1 holds 3.5, but the batch is int32 because element 0 starts with int32 values .* map the rows to Float32Array/,
    );
    await expect(kerasmBatch([{ xs: Uint8Array.of(1) }, { xs: [2 ** 31] }])).rejects.toThrow(/'xs' of element 1 holds 2147483648, but the batch is int32/);
  });

  it('mixes int32 and float32 tensors by the first one, where tfjs refuses to stack them', async () => {
    expect(await thrown(() => tfjsBatch([tf.tensor([1, 2], undefined, 'int32'), tf.tensor([3, 4])]))).toMatch(/matching dtypes/);
    expect(plain(await kerasmBatch([km.tensor([1, 2], undefined, 'int32'), km.tensor([3, 4])]))).toEqual({ dtype: 'int32', shape: [2, 2], values: [1, 2, 3, 4] });
    expect(plain(await kerasmBatch([km.tensor([1.5, 2]), km.tensor([3, 4], undefined, 'int32')]))).toEqual({ dtype: 'float32', shape: [2, 2], values: [1.5, 2, 3, 4] });
  });

  it("refuses booleans, which tfjs batches into a 'bool' tensor kerasm lacks", async () => {
    const cases: [string, unknown[]][] = [
      ['booleans', [true, false]],
      ['arrays of booleans', [[true, false], [false, true]]],
      ['a boolean, then a number', [true, 1]],
    ];
    for (const [name, rows] of cases) {
      expect([name, (plain(await tfjsBatch(rows)) as { dtype: string }).dtype]).toEqual([name, 'bool']);
      await expect(kerasmBatch(rows)).rejects.toThrow(/is a boolean .*tfjs batches booleans into a 'bool' tensor, a dtype kerasm lacks \(it has 'float32' and 'int32'\). Map them to numbers first/);
    }
    await expect(kerasmBatch([{ ys: true }])).rejects.toThrow(/'ys' of element 0 is a boolean \(true\).*e\.ys \? 1 : 0/);
  });

  it("batches strings into a plain list holding what tfjs' 'string' tensor holds, per key as tfjs does", async () => {
    for (const rows of [['fixed', 'normal', ' reversible '], [['a', 'b'], ['c', 'd']], [{ xs: { age: 63, thal: 'fixed' }, ys: 1 }, { xs: { age: 67, thal: 'normal' }, ys: 0 }]]) {
      const theirs = (await tfjsBatch(rows)) as tf.Tensor | { xs: { age: tf.Tensor; thal: tf.Tensor }; ys: tf.Tensor };
      const ours = await kerasmBatch(rows);
      if (theirs instanceof tf.Tensor) {
        expect(theirs.dtype).toBe('string');
        expect(ours).toEqual(theirs.arraySync());
        continue;
      }
      expect(theirs.xs.thal.dtype).toBe('string');
      const { xs, ys } = ours as { xs: { age: km.Tensor; thal: string[] }; ys: km.Tensor };
      expect(xs.thal).toEqual(theirs.xs.thal.arraySync());
      expect(plain({ age: xs.age, ys })).toEqual(plain({ age: theirs.xs.age, ys: theirs.ys }));
    }
  });

  it('stacks other typed arrays, which tfjs refuses, as float32', async () => {
    for (const rows of [[Int16Array.of(1, -2), Int16Array.of(3, 4)], [Float64Array.of(1, 2.5), Float64Array.of(3, 4)], [Uint32Array.of(1, 2), Uint32Array.of(3, 4)]]) {
      expect(await thrown(() => tfjsBatch(rows))).toMatch(/Can't recurse into non-iterable type/);
      const batch = plain(await kerasmBatch(rows)) as { dtype: string; values: number[] };
      expect(batch).toEqual({ dtype: 'float32', shape: [2, 2], values: Array.from(rows.flatMap((r) => Array.from(r))) });
    }
  });
});
