// tfjs' rank-fixed ops (slice1d..4d, concat1d..4d, reverse1d..4d, pad1d..4d) and tensor5d/tensor6d
// against tfjs-core 4.22 (CPU backend): values, dtypes and gradients, and the rank checks.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import * as kmIndex from '../index.js';
import { expectSameAsTfjs, expectSameGradients, pick, randomPair, randomShape, type Pair } from '../testing/tfjs_op_parity.js';
import { Random } from '../utils/random.js';
import * as km from './index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const int = (rng: Random, low: number, high: number): number => low + Math.floor(rng.next() * (high - low + 1));

// Each alias as kerasm and tfjs call it, on a tensor of its rank, with random arguments for that rank.
type Case = readonly [string, (rng: Random, x: Pair) => { km: () => kmIndex.Tensor; tf: () => tf.Tensor; twin: { km: (a: kmIndex.Tensor<'float32'>) => kmIndex.Tensor; tf: (a: tf.Tensor) => tf.Tensor } }];

function box(rng: Random, shape: readonly number[]): { begin: number[]; size: number[] } {
  const begin = shape.map((d) => int(rng, 0, d - 1));
  return { begin, size: shape.map((d, i) => (rng.next() < 0.3 ? -1 : int(rng, 0, d - begin[i]))) };
}
const paddingsOf = (rng: Random, rank: number) => Array.from({ length: rank }, () => [int(rng, 0, 2), int(rng, 0, 2)] as [number, number]);
const axisOf = (rng: Random, rank: number) => (rng.next() < 0.3 ? undefined : int(rng, -rank, rank - 1));

// The aliases looked up by name (their typed signatures are exercised in the last tests).
const kmAlias = km as unknown as Record<string, (...args: unknown[]) => kmIndex.Tensor>;
const tfAlias = tf as unknown as Record<string, (...args: unknown[]) => tf.Tensor>;

const aliases: readonly (readonly [number, Case])[] = [1, 2, 3, 4].flatMap((rank) => [
  [rank, [`slice${rank}d`, (rng, x) => {
    const { begin, size } = box(rng, x.km.shape);
    const [b, s] = rank === 1 ? [begin[0], size[0]] : [begin, size];
    const ours = (a: kmIndex.Tensor) => kmAlias[`slice${rank}d`](a, b, s);
    const theirs = (a: tf.Tensor) => tfAlias[`slice${rank}d`](a, b, s);
    return { km: () => ours(x.km), tf: () => theirs(x.tf), twin: { km: ours, tf: theirs } };
  }]],
  [rank, [`reverse${rank}d`, (rng, x) => {
    const axis = rank === 1 ? undefined : axisOf(rng, rank);
    const ours = (a: kmIndex.Tensor) => kmAlias[`reverse${rank}d`](a, axis);
    const theirs = (a: tf.Tensor) => tfAlias[`reverse${rank}d`](a, axis);
    return { km: () => ours(x.km), tf: () => theirs(x.tf), twin: { km: ours, tf: theirs } };
  }]],
  [rank, [`pad${rank}d`, (rng, x) => {
    const paddings = paddingsOf(rng, rank);
    const p = rank === 1 ? paddings[0] : paddings;
    const value = pick(rng, [0, 1.5, -2]);
    const ours = (a: kmIndex.Tensor) => kmAlias[`pad${rank}d`](a, p, value);
    const theirs = (a: tf.Tensor) => tfAlias[`pad${rank}d`](a, p, value);
    return { km: () => ours(x.km), tf: () => theirs(x.tf), twin: { km: ours, tf: theirs } };
  }]],
  [rank, [`concat${rank}d`, (rng, x) => {
    const axis = rank === 1 ? 0 : int(rng, 0, rank - 1);
    const ours = (a: kmIndex.Tensor) => kmAlias[`concat${rank}d`]([a, a.neg()], ...(rank === 1 ? [] : [axis]));
    const theirs = (a: tf.Tensor) => tfAlias[`concat${rank}d`]([a, tf.neg(a)], ...(rank === 1 ? [] : [axis]));
    return { km: () => ours(x.km), tf: () => theirs(x.tf), twin: { km: ours, tf: theirs } };
  }]],
] as const);

describe('the rank-fixed aliases match tfjs', () => {
  it('values, dtypes and gradients on random tensors of their rank', () => {
    const rng = new Random(41);
    for (const [rank, [name, make]] of aliases) {
      for (let trial = 0; trial < 12; trial++) {
        const x = randomPair(rng, randomShape(rng, rank, 5), pick(rng, ['float32', 'int32'] as const));
        const c = make(rng, x);
        const what = `${name} [${x.km.shape.join(', ')}] ${x.km.dtype}`;
        expectSameAsTfjs(c.km(), c.tf(), what);
        if (x.km.dtype === 'float32') expectSameGradients(rng, c.twin, [x], what);
      }
    }
  });

  it('check the rank, naming the any-rank op (tfjs does not check concat2d..4d)', () => {
    const m = kmIndex.zeros([2, 3]);
    expect(() => km.slice1d(m, 0, 1)).toThrow('km.slice1d() takes a tensor of rank 1, but x has rank 2. Use km.slice() for any rank, or reshape x. Received: x.shape=[2, 3].');
    expect(() => km.slice3d(m, [0, 0, 0], [1, 1, 1])).toThrow('km.slice3d() takes a tensor of rank 3, but x has rank 2.');
    expect(() => km.reverse4d(m)).toThrow('km.reverse4d() takes a tensor of rank 4, but x has rank 2. Use km.reverse() for any rank, or reshape x.');
    expect(() => km.pad1d(kmIndex.zeros([2]), [[1, 1]] as unknown as [number, number])).toThrow('km.pad1d(): paddings must be one [before, after] pair, e.g. [1, 2]. Received: paddings=[[1,1]].');
    expect(() => km.pad1d(m, [1, 1])).toThrow('km.pad1d() takes a tensor of rank 1, but x has rank 2. Use km.pad() for any rank, or reshape x.');
    expect(() => km.concat3d([kmIndex.zeros([1, 2, 3]), m])).toThrow('km.concat3d() takes a tensor of rank 3, but tensors[1] has rank 2. Use km.concat() for any rank, or reshape tensors[1]. Received: tensors[1].shape=[2, 3].');
    expect(tf.concat2d([tf.zeros([1, 2, 3]), tf.zeros([1, 2, 3])] as unknown as tf.Tensor2D[], 0).shape).toEqual([2, 2, 3]);
    expect(() => km.concat1d(m as unknown as kmIndex.Tensor[])).toThrow('km.concat1d(): pass an array of tensors, e.g. km.concat1d([a, b]). Received: object.');
    expect(kmIndex.slice2d(kmIndex.tensor([[1, 2, 3], [4, 5, 6]]), [1, 1], [1, -1]).arraySync()).toEqual([[5, 6]]);
    expect(kmIndex.concat1d([[1], [2, 3]]).arraySync()).toEqual([1, 2, 3]);
    expect(kmIndex.reverse1d([1, 2, 3]).arraySync()).toEqual([3, 2, 1]);
    expect(kmIndex.pad2d([[1]], [[0, 1], [1, 0]], 7).arraySync()).toEqual([[7, 1], [7, 7]]);
    expect([kmIndex.reverse2d, kmIndex.reverse3d, kmIndex.concat2d, kmIndex.concat4d, kmIndex.pad3d, kmIndex.pad4d, kmIndex.slice4d]).not.toContain(undefined);
  });
});

describe('km.tensor5d and km.tensor6d match tfjs', () => {
  it('make rank 5 and 6 tensors from nested or flat values, and name a wrong rank', () => {
    const rng = new Random(42);
    for (const [rank, ours, theirs] of [[5, kmIndex.tensor5d, tf.tensor5d], [6, kmIndex.tensor6d, tf.tensor6d]] as const) {
      const x = randomPair(rng, randomShape(rng, rank, 3), pick(rng, ['float32', 'int32'] as const));
      const flat = Array.from(x.km.dataSync());
      const shape = [...x.km.shape];
      expectSameAsTfjs(ours(flat, shape, x.km.dtype), (theirs as (v: number[], s: number[], d: string) => tf.Tensor)(flat, shape, x.km.dtype), `tensor${rank}d flat`);
      const nested = x.km.arraySync() as number[];
      expectSameAsTfjs(ours(nested), (theirs as (v: number[]) => tf.Tensor)(nested), `tensor${rank}d nested`);
    }
    expect(() => kmIndex.tensor5d([1, 2], [2, 1, 1, 1])).toThrow('km.tensor5d() takes a shape of 5 numbers, [d0, d1, d2, d3, d4]; received [2, 1, 1, 1]. km.tensor(values, shape) takes any rank.');
    expect(() => kmIndex.tensor6d([1, 2])).toThrow('km.tensor6d() needs the shape of flat values: km.tensor6d(values, [d0, d1, d2, d3, d4, d5]).');
    expect(() => kmIndex.tensor5d([[1]])).toThrow('km.tensor5d() makes a tensor of rank 5, but the values have shape [1, 1] (rank 2).');
  });
});

describe('the shape ops keep the dtype in their types', () => {
  it('as tsc sees them (tsconfig.test.json) and at run time', () => {
    const i = kmIndex.tensor([[1, 2], [3, 4]], undefined, 'int32');
    expectTypeOf(kmIndex.slice2d(i, [0, 0], [1, 1])).toEqualTypeOf<kmIndex.Tensor2D<'int32'>>();
    expectTypeOf(kmIndex.tensor5d([1], [1, 1, 1, 1, 1], 'int32')).toEqualTypeOf<kmIndex.Tensor5D<'int32'>>();
    expectTypeOf(i.broadcastTo([2, 2, 2])).toEqualTypeOf<kmIndex.Tensor<'int32'>>();
    expectTypeOf(i.stridedSlice([0], [1])).toEqualTypeOf<kmIndex.Tensor<'int32'>>();
    expectTypeOf(kmIndex.eye(2, 2, undefined, 'int32')).toEqualTypeOf<kmIndex.Tensor<'int32'>>();
    expectTypeOf(kmIndex.tensor([1, 2]).dot([3, 4])).toEqualTypeOf<kmIndex.Tensor<'float32'>>();
    expect([kmIndex.slice2d(i, [0, 0], [1, 1]).dtype, i.broadcastTo([2, 2, 2]).dtype, i.stridedSlice([0], [1]).dtype, kmIndex.diag(i).dtype]).toEqual(['int32', 'int32', 'int32', 'int32']);
  });
});
