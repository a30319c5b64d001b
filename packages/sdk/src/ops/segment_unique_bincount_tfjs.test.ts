// unsortedSegmentSum, unique, bincount and denseBincount against tfjs-core 4.22 (CPU backend):
// values and dtypes to the bit, unsortedSegmentSum's gradient against tf.grads, and float64 loops
// where tfjs is wrong (NaN in another segment, binaryOutput on a vector).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import * as kmIndex from '../index.js';
import { tensor } from '../tensor.js';
import { expectSameAsTfjs, expectSameGradients, pairOf, pick, randomPair, randomShape, type Pair } from '../testing/tfjs_op_parity.js';
import { Random } from '../utils/random.js';
import * as km from './index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const ints = (rng: Random, shape: readonly number[], low: number, high: number): Pair =>
  pairOf(Int32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => low + Math.floor(rng.next() * (high - low))), shape);

describe('unsortedSegmentSum matches tfjs-core 4.22', () => {
  it('values (float32, int32 x too) on random shapes, with empty segments and dropped negative ids', () => {
    const rng = new Random(601);
    for (let trial = 0; trial < 60; trial++) {
      const x = randomPair(rng, randomShape(rng, 1 + Math.floor(rng.next() * 3), 5), pick(rng, ['float32', 'int32'] as const));
      const numSegments = 1 + Math.floor(rng.next() * 5);
      const ids = ints(rng, [x.km.shape[0]], -1, numSegments);
      expectSameAsTfjs(km.unsortedSegmentSum(x.km, ids.km, numSegments), tf.unsortedSegmentSum(x.tf, ids.tf as tf.Tensor1D, numSegments), `x ${x.km.dtype} [${x.km.shape.join(', ')}], ${numSegments} segments`);
    }
  });

  it('segment ids over several leading axes equal tfjs on the flattened axes (tfjs takes rank 1 only)', () => {
    const rng = new Random(602);
    for (let trial = 0; trial < 20; trial++) {
      const shape = randomShape(rng, 2 + Math.floor(rng.next() * 2), 4);
      const x = randomPair(rng, shape, 'float32');
      const ids = ints(rng, shape.slice(0, 2), -1, 3);
      const flat = tf.reshape(x.tf, [shape[0] * shape[1], ...shape.slice(2)]);
      expectSameAsTfjs(km.unsortedSegmentSum(x.km, ids.km, 3), tf.unsortedSegmentSum(flat, tf.reshape(ids.tf, [-1]), 3), `x [${shape.join(', ')}], ids [${shape.slice(0, 2).join(', ')}]`);
    }
  });

  it('gradient against tf.grads: each slice gets its segment\'s cotangent, dropped slices 0', () => {
    const rng = new Random(603);
    for (let trial = 0; trial < 20; trial++) {
      const x = randomPair(rng, randomShape(rng, 1 + Math.floor(rng.next() * 3), 5), 'float32');
      const ids = ints(rng, [x.km.shape[0]], -1, 4);
      expectSameGradients(rng, { km: (v) => km.unsortedSegmentSum(v, ids.km, 4), tf: (v) => tf.unsortedSegmentSum(v, ids.tf as tf.Tensor1D, 4) }, [x], `[${x.km.shape.join(', ')}]`);
    }
  });

  it('a NaN or infinite value reaches only its own segment (tfjs\' 0·NaN mask spreads it): float64 loop', () => {
    const x = pairOf(Float32Array.of(1, NaN, 2, Infinity, 4), [5]);
    const ids = pairOf(Int32Array.of(0, 1, 0, 2, 3), [5]);
    const naive = [0, 0, 0, 0];
    Array.from(x.km.dataSync()).forEach((v, i) => (naive[ids.km.dataSync()[i]] += v));
    expect(Array.from(km.unsortedSegmentSum(x.km, ids.km, 4).dataSync())).toEqual(naive);
    expect(Array.from(tf.unsortedSegmentSum(x.tf, ids.tf as tf.Tensor1D, 4).dataSync()).every(Number.isNaN)).toBe(true);
  });

  it('an id from numSegments on is an error naming it (tfjs drops it); bad inputs; the method', () => {
    const x = tensor([1, 2, 3]);
    expect(Array.from(tf.unsortedSegmentSum([1, 2, 3], tf.tensor1d([0, 5, 1], 'int32'), 2).dataSync())).toEqual([1, 3]);
    expect(() => km.unsortedSegmentSum(x, [0, 5, 1], 2)).toThrow('km.unsortedSegmentSum(): segment id 5 (segmentIds position 1) is out of range for numSegments=2: ids must be below 2 (a negative id drops its slice).');
    expect(() => km.unsortedSegmentSum(x, tensor([0, 1, 1]), 2)).toThrow("km.unsortedSegmentSum(): segmentIds must be an int32 tensor (or an array of integers), as tfjs takes them. Cast them first: km.cast(segmentIds, 'int32'). Received: segmentIds.dtype='float32'.");
    expect(() => km.unsortedSegmentSum(x, [0, 1], 2)).toThrow("km.unsortedSegmentSum(): segmentIds' shape must be the first axes of x's shape, a segment id per slice of x. Received: segmentIds.shape=[2], x.shape=[3].");
    expect(() => km.unsortedSegmentSum(x, [0, 1, 1], 1.5)).toThrow('km.unsortedSegmentSum(): numSegments must be a non-negative integer, the number of segments (ids from 0 to numSegments - 1). Received: numSegments=1.5.');
    expect(km.unsortedSegmentSum(tensor([[1, 2], [3, 4]]), [-1, -1], 0).shape).toEqual([0, 2]);
    const p = pairOf(Float32Array.of(1, 2, 3, 4), [2, 2]);
    expectSameAsTfjs(p.km.unsortedSegmentSum([1, 1], 2), tf.unsortedSegmentSum(p.tf, tf.tensor1d([1, 1], 'int32'), 2), 't.unsortedSegmentSum');
    expect(kmIndex.unsortedSegmentSum).toBe(km.unsortedSegmentSum);
  });
});

describe('unique matches tfjs-core 4.22', () => {
  const same = (ours: km.Unique<'float32' | 'int32'>, theirs: { values: tf.Tensor; indices: tf.Tensor }, what: string): void => {
    expectSameAsTfjs(ours.values, theirs.values, `${what}: values`);
    expectSameAsTfjs(ours.indices, theirs.indices, `${what}: indices`);
  };

  it('vectors of int32 and of float32 with NaN, -0, 0 and infinities', () => {
    const rng = new Random(604);
    for (let trial = 0; trial < 30; trial++) {
      const x = ints(rng, [1 + Math.floor(rng.next() * 15)], -3, 4);
      same(km.unique(x.km), tf.unique(x.tf), `int32 [${x.km.shape[0]}]`);
    }
    const special = pairOf(Float32Array.of(NaN, -0, 0, 1.5, NaN, Infinity, -Infinity, 0, -0, 1.5, 2), [11]);
    same(km.unique(special.km), tf.unique(special.tf), 'special float32');
    const empty = pairOf(new Float32Array(0), [0]);
    same(km.unique(empty.km), tf.unique(empty.tf), 'empty');
  });

  it('slices along each axis (negative too) of random tensors with repeated slices', () => {
    const rng = new Random(605);
    for (let trial = 0; trial < 50; trial++) {
      const x = ints(rng, randomShape(rng, 2 + Math.floor(rng.next() * 2), 4), 0, 2);
      const axis = Math.floor(rng.next() * x.km.rank) - (rng.next() < 0.3 ? x.km.rank : 0);
      const f = pairOf(Float32Array.from(x.km.dataSync()), x.km.shape);
      same(km.unique(x.km, axis), tf.unique(x.tf, axis), `int32 [${x.km.shape.join(', ')}] axis ${axis}`);
      same(f.km.unique(axis), tf.unique(f.tf, axis), `t.unique, float32 [${x.km.shape.join(', ')}] axis ${axis}`);
    }
  });

  it('bad inputs: a scalar, an axis out of range', () => {
    expect(() => km.unique(tensor(3))).toThrow('km.unique() takes a tensor of rank 1 or more (a scalar is its own unique value). Received: x.shape=[], a scalar; use km.reshape(x, [1]).');
    expect(() => km.unique(tensor([[1, 2]]), 2)).toThrow(/km\.unique\(\).*axis/);
    expect(kmIndex.unique).toBe(km.unique);
  });
});

describe('bincount and denseBincount match tfjs-core 4.22', () => {
  it('bincount: counts, float32 and int32 weights, values from size on ignored, x of any rank', () => {
    const rng = new Random(606);
    for (let trial = 0; trial < 60; trial++) {
      const size = Math.floor(rng.next() * 6);
      const x = ints(rng, randomShape(rng, Math.floor(rng.next() * 3), 5), 0, size + 2);
      const weights = pick(rng, ['none', 'float32', 'int32'] as const);
      const w = weights === 'none' ? pairOf(new Float32Array(0), [0]) : randomPair(rng, x.km.shape, weights);
      expectSameAsTfjs(km.bincount(x.km, w.km, size), tf.bincount(x.tf as tf.Tensor1D, w.tf as tf.Tensor1D, size), `x [${x.km.shape.join(', ')}], weights ${weights}, size ${size}`);
    }
  });

  it('denseBincount: per row for a matrix, binaryOutput, and binaryOutput on a vector (which tfjs ignores): float64 loop', () => {
    const rng = new Random(607);
    for (let trial = 0; trial < 60; trial++) {
      const size = 1 + Math.floor(rng.next() * 5);
      const x = ints(rng, randomShape(rng, 1 + Math.floor(rng.next() * 2), 5), 0, size + 2);
      const w = rng.next() < 0.3 ? pairOf(new Float32Array(0), [0]) : randomPair(rng, x.km.shape, pick(rng, ['float32', 'int32'] as const));
      const binary = x.km.rank === 2 && rng.next() < 0.5;
      expectSameAsTfjs(km.denseBincount(x.km, w.km, size, binary), tf.denseBincount(x.tf as tf.Tensor2D, w.tf as tf.Tensor2D, size, binary), `x [${x.km.shape.join(', ')}], weights ${w.km.dtype} [${w.km.shape.join(', ')}], binary ${binary}`);
    }
    const x = pairOf(Int32Array.of(1, 1, 4, 0, 1), [5]);
    const w = pairOf(Float32Array.of(2, 3, 4, 5, 6), [5]);
    const naive = [0, 0, 0];
    x.km.dataSync().forEach((v) => {
      if (v < 3) naive[v] = 1;
    });
    expect(Array.from(km.denseBincount(x.km, w.km, 3, true).dataSync())).toEqual(naive);
    expect(Array.from(tf.denseBincount(x.tf as tf.Tensor1D, w.tf as tf.Tensor1D, 3, true).dataSync())).toEqual([5, 11, 0]); // tfjs: binaryOutput ignored
  });

  it('a negative value is an error naming it; bad inputs', () => {
    const i32 = (v: number[], shape?: number[]) => tensor(v, shape, 'int32');
    expect(() => km.bincount(i32([1, -2, 0]), [], 3)).toThrow('km.bincount(): x must hold non-negative integers, but x\'s value at position 1 is -2. Values from size=3 on are not counted; negative ones have no bin.');
    expect(() => km.denseBincount(i32([1, 0, 2, -1], [2, 2]), [], 3)).toThrow(/value at position 3 is -1/);
    expect(() => km.bincount(tensor([1, 2]), [], 3)).toThrow("km.bincount(): x must be an int32 tensor (or an array of integers), as tfjs takes them. Cast them first: km.cast(x, 'int32'). Received: x.dtype='float32'.");
    expect(() => km.bincount(i32([1, 2]), [1, 2, 3], 3)).toThrow('km.bincount(): weights must have a value per value of x, or none (an empty tensor, to count). Received: weights.shape=[3], x.shape=[2].');
    expect(() => km.bincount(i32([1, 2]), [], 2.5)).toThrow('km.bincount(): size must be a non-negative integer, the number of bins. Received: size=2.5.');
    expect(() => km.denseBincount(i32([1, 2], [1, 1, 2]), [], 3)).toThrow('km.denseBincount() takes an x of rank 1 (one set of bins) or 2 (bins per row). Received: x.shape=[1, 1, 2]; use km.bincount for any shape, or reshape x.');
    expect([kmIndex.bincount, kmIndex.denseBincount]).toEqual([km.bincount, km.denseBincount]);
  });
});
