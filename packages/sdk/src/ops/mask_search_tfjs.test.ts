// booleanMaskAsync, whereAsync, setdiff1dAsync, searchSorted, lowerBound and upperBound against
// tfjs-core 4.22 (CPU backend), values and dtypes to the bit. kerasm's masks are any tensors
// (non-zero is true); tfjs gets the same mask as a bool tensor, tf.notEqual(mask, 0).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import * as kmIndex from '../index.js';
import { tensor, type Tensor } from '../tensor.js';
import { expectSameAsTfjs, pairOf, pick, randomPair, randomShape, type Pair } from '../testing/tfjs_op_parity.js';
import { Random } from '../utils/random.js';
import * as km from './index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A mask of 0s and 1s (float32 ones also holding other non-zero values: NaN, -2.5), mostly false when `sparse`. */
function randomMask(rng: Random, shape: readonly number[], sparse = false): Pair {
  const size = shape.reduce((a, b) => a * b, 1);
  const on = sparse ? 0.2 : 0.5;
  if (rng.next() < 0.5) return pairOf(Int32Array.from({ length: size }, () => (rng.next() < on ? 1 : 0)), shape);
  return pairOf(Float32Array.from({ length: size }, () => (rng.next() < on ? pick(rng, [1, NaN, -2.5, 1e-30]) : pick(rng, [0, -0]))), shape);
}

const asBool = (mask: tf.Tensor): tf.Tensor => tf.notEqual(mask, 0);

describe('booleanMaskAsync and whereAsync match tfjs-core 4.22', () => {
  it('booleanMaskAsync: masks of every rank from every axis, int32 and float32 tensors, all-false masks', async () => {
    const rng = new Random(701);
    for (let trial = 0; trial < 60; trial++) {
      const shape = randomShape(rng, 1 + Math.floor(rng.next() * 4), 4);
      const x = randomPair(rng, shape, pick(rng, ['float32', 'int32'] as const));
      const maskRank = 1 + Math.floor(rng.next() * shape.length);
      const axis = Math.floor(rng.next() * (shape.length - maskRank + 1));
      const mask = trial % 10 === 0 ? pairOf(new Int32Array(shape.slice(axis, axis + maskRank).reduce((a, b) => a * b, 1)), shape.slice(axis, axis + maskRank)) : randomMask(rng, shape.slice(axis, axis + maskRank));
      const ours = km.booleanMaskAsync(x.km, mask.km, axis);
      expect(ours).toBeInstanceOf(Promise);
      expectSameAsTfjs(await ours, await tf.booleanMaskAsync(x.tf, asBool(mask.tf), axis), `x [${shape.join(', ')}], mask ${mask.km.dtype} [${mask.km.shape.join(', ')}] from axis ${axis}`);
    }
  });

  it('whereAsync: coordinates of non-zero values (NaN included) for ranks 0 to 3, and [0, rank] for zeros', async () => {
    const rng = new Random(702);
    for (let trial = 0; trial < 40; trial++) {
      const shape = randomShape(rng, Math.floor(rng.next() * 4), 5);
      const mask = trial % 8 === 0 ? pairOf(new Float32Array(shape.reduce((a, b) => a * b, 1)), shape) : randomMask(rng, shape, true);
      expectSameAsTfjs(await km.whereAsync(mask.km), await tf.whereAsync(asBool(mask.tf)), `${mask.km.dtype} [${shape.join(', ')}]`);
    }
    const zeros = await km.whereAsync(km.greater(tensor([[1, 2], [3, 4]]), 9));
    expect([...zeros.shape]).toEqual([0, 2]);
  });

  it('bad masks reject with what was received', async () => {
    const x = tensor([[1, 2], [3, 4], [5, 6]]);
    await expect(km.booleanMaskAsync(x, tensor(1))).rejects.toThrow('km.booleanMaskAsync(): mask must have rank 1 or more (a scalar mask would keep or drop everything). Received: mask.shape=[]; reshape it to [1] and expandDims the tensor.');
    await expect(km.booleanMaskAsync(x, [1, 0])).rejects.toThrow("km.booleanMaskAsync(): mask's shape must equal tensor's axes from axis=0 on, [3]. Received: mask.shape=[2], tensor.shape=[3, 2].");
    await expect(km.booleanMaskAsync(x, [1, 0], -1)).rejects.toThrow(/axis must be an integer from 0 to tensor's rank minus mask's rank \(1\).* Received: axis=-1/);
    await expect(km.booleanMaskAsync(x, [1, 0], 2)).rejects.toThrow(/Received: axis=2, tensor\.shape=\[3, 2\], mask\.shape=\[2\]/);
    expect([kmIndex.booleanMaskAsync, kmIndex.whereAsync]).toEqual([km.booleanMaskAsync, km.whereAsync]);
  });
});

describe('setdiff1dAsync matches tfjs-core 4.22', () => {
  it('int32 vectors with repeats, float32 ones with NaN and -0, empty results', async () => {
    const rng = new Random(703);
    for (let trial = 0; trial < 30; trial++) {
      const dtype = pick(rng, ['float32', 'int32'] as const);
      // Small integers (halves too, for float32), so that x and y share values.
      const draw = (n: number) => Array.from({ length: n }, () => Math.floor(rng.uniform(-3, 4)) + (dtype === 'float32' && rng.next() < 0.2 ? 0.5 : 0));
      const typed = (v: number[]) => (dtype === 'int32' ? Int32Array.from(v) : Float32Array.from(v));
      const [xv, yv] = [draw(Math.floor(rng.next() * 12)), draw(Math.floor(rng.next() * 6))];
      const xs = pairOf(typed(xv), [xv.length]);
      const ys = pairOf(typed(yv), [yv.length]);
      const [out, indices] = await km.setdiff1dAsync(xs.km, ys.km);
      const [tOut, tIndices] = await tf.setdiff1dAsync(xs.tf, ys.tf);
      expectSameAsTfjs(out, tOut, `${dtype} [${xv.length}] minus [${yv.length}]: out`);
      expectSameAsTfjs(indices, tIndices, `${dtype}: indices`);
    }
    const special = [pairOf(Float32Array.of(NaN, -0, 1, 0, NaN, 2), [6]), pairOf(Float32Array.of(0, NaN), [2])];
    const [out, indices] = await km.setdiff1dAsync(special[0].km, special[1].km);
    const [tOut, tIndices] = await tf.setdiff1dAsync(special[0].tf, special[1].tf);
    expectSameAsTfjs(out, tOut, 'NaN and -0: out');
    expectSameAsTfjs(indices, tIndices, 'NaN and -0: indices');
  });

  it('bad inputs reject with what was received', async () => {
    await expect(km.setdiff1dAsync(tensor([1, 2], undefined, 'int32'), tensor([1]))).rejects.toThrow("km.setdiff1dAsync(): x and y must have the same dtype, as in tfjs. Cast one first: km.cast(y, 'int32'). Received: x.dtype='int32', y.dtype='float32'.");
    await expect(km.setdiff1dAsync([[1, 2]], [1])).rejects.toThrow('km.setdiff1dAsync() takes rank-1 tensors. Received: x.shape=[1, 2], y.shape=[1]; flatten them with km.reshape(t, [-1]).');
    expect(kmIndex.setdiff1dAsync).toBe(km.setdiff1dAsync);
  });
});

describe('searchSorted, lowerBound and upperBound match tfjs-core 4.22', () => {
  /** Rows of `shape`'s last axis sorted ascending (int32 values with ties, or float32). */
  function sortedRows(rng: Random, shape: readonly number[]): Pair {
    const p = randomPair(rng, shape, pick(rng, ['float32', 'int32'] as const), 4);
    const values = p.km.dataSync().slice();
    const n = shape[shape.length - 1];
    for (let r = 0; r < values.length / n; r++) values.subarray(r * n, (r + 1) * n).sort();
    return pairOf(values, shape);
  }
  // tfjs 4.22 returns [rows, m]; kerasm keeps values' shape (TensorFlow's), so tfjs' result is compared reshaped.
  const theirs = (result: tf.Tensor, values: Tensor): tf.Tensor => tf.reshape(result, [...values.shape]);

  it('both sides on random rows with ties, leading axes arranged differently, int32 and float32 mixed', () => {
    const rng = new Random(704);
    for (let trial = 0; trial < 60; trial++) {
      const lead = randomShape(rng, Math.floor(rng.next() * 3), 3);
      const seq = sortedRows(rng, [...lead, 1 + Math.floor(rng.next() * 7)]);
      const rows = lead.reduce((a, b) => a * b, 1);
      const valuesLead = rng.next() < 0.3 && lead.length === 2 ? [rows] : lead;
      const values = randomPair(rng, [...valuesLead, 1 + Math.floor(rng.next() * 5)], pick(rng, ['float32', 'int32'] as const), 5);
      const what = `sequence [${seq.km.shape.join(', ')}], values [${values.km.shape.join(', ')}]`;
      expectSameAsTfjs(km.searchSorted(seq.km, values.km), theirs(tf.searchSorted(seq.tf, values.tf), values.km), `left ${what}`);
      expectSameAsTfjs(km.searchSorted(seq.km, values.km, 'right'), theirs(tf.searchSorted(seq.tf, values.tf, 'right'), values.km), `right ${what}`);
      expectSameAsTfjs(km.lowerBound(seq.km, values.km), theirs(tf.lowerBound(seq.tf, values.tf), values.km), `lowerBound ${what}`);
      expectSameAsTfjs(km.upperBound(seq.km, values.km), theirs(tf.upperBound(seq.tf, values.tf), values.km), `upperBound ${what}`);
    }
    const nan = [pairOf(Float32Array.of(-1, 2, NaN, Infinity), [4]), pairOf(Float32Array.of(NaN, -Infinity, 2, Infinity), [4])];
    expectSameAsTfjs(km.searchSorted(nan[0].km, nan[1].km), theirs(tf.searchSorted(nan[0].tf, nan[1].tf), nan[1].km), 'NaN and infinities');
  });

  it('keeps values\' shape where tfjs 4.22 returns [rows, m]; an empty row gives 0s where tfjs throws', () => {
    const seq = pairOf(Float32Array.of(1, 2, 3), [3]);
    const values = pairOf(Float32Array.of(2, 0, 5), [3]);
    expect(tf.searchSorted(seq.tf, values.tf).shape).toEqual([1, 3]);
    expect([...km.searchSorted(seq.km, values.km).shape]).toEqual([3]);
    expect(() => tf.searchSorted(tf.zeros([0]), [2.5])).toThrow();
    expect(Array.from(km.searchSorted(tensor(new Float32Array(0), [0]), [2.5, -1]).dataSync())).toEqual([0, 0]);
  });

  it('bad inputs: a bad side, different row counts, scalars', () => {
    expect(() => km.searchSorted([1, 2], [1], 'middle' as 'left')).toThrow('km.searchSorted(): side must be \'left\' or \'right\'. Received: side="middle".');
    expect(() => km.searchSorted([[1, 2], [3, 4]], [1])).toThrow('km.searchSorted(): sortedSequence and values need as many rows (the product of the axes before the last), a sorted row per row of values. Received: sortedSequence.shape=[2, 2], values.shape=[1].');
    expect(() => km.lowerBound([1, 2], 1)).toThrow(/km\.lowerBound\(\) takes sortedSequence and values of rank 1 or more .* values\.shape=\[\]; reshape a scalar to \[1\]/);
    expect([kmIndex.searchSorted, kmIndex.lowerBound, kmIndex.upperBound]).toEqual([km.searchSorted, km.lowerBound, km.upperBound]);
  });
});
