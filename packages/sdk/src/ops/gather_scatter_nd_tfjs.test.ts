// gatherND, scatterND and tensorScatterUpdate against tfjs-core 4.22 (CPU backend): values and
// dtypes to the bit on random shapes with repeated index tuples, and the gradients tfjs lacks,
// checked on tfjs' forward ops (which element each output copies, or tf.gatherND of dy).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import * as kmIndex from '../index.js';
import { tensor, type DType } from '../tensor.js';
import { expectSelectionGradient } from '../testing/selection_gradient.js';
import { expectSameAsTfjs, pairOf, pick, randomPair, randomShape, type Pair } from '../testing/tfjs_op_parity.js';
import { Random } from '../utils/random.js';
import * as km from './index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Int32 index tuples of shape [...batch, k], each coordinate inside its axis of `dims` (small axes repeat tuples). */
function randomTuples(rng: Random, batch: readonly number[], dims: readonly number[]): Pair {
  const count = batch.reduce((a, b) => a * b, 1);
  const values = Int32Array.from({ length: count * dims.length }, (_, i) => Math.floor(rng.next() * dims[i % dims.length]));
  return pairOf(values, [...batch, dims.length]);
}

const shapeText = (p: Pair): string => `[${p.km.shape.join(', ')}]`;

describe('gatherND matches tfjs-core 4.22', () => {
  it('values and dtypes on random shapes, tuple lengths 0 to rank, repeated tuples, int32 and float32', () => {
    const rng = new Random(501);
    for (let trial = 0; trial < 80; trial++) {
      const x = randomPair(rng, randomShape(rng, 1 + Math.floor(rng.next() * 4), 5), pick(rng, ['float32', 'int32'] as const));
      const k = Math.floor(rng.next() * (x.km.rank + 1));
      const idx = randomTuples(rng, randomShape(rng, Math.floor(rng.next() * 3), 5), x.km.shape.slice(0, k));
      expectSameAsTfjs(km.gatherND(x.km, idx.km), tf.gatherND(x.tf, idx.tf), `x ${x.km.dtype} ${shapeText(x)}, indices ${shapeText(idx)}`);
    }
    const x = randomPair(rng, [3, 5], 'float32');
    expectSameAsTfjs(km.gatherND(x.km, [1, 4]), tf.gatherND(x.tf, [1, 4]), 'rank-1 indices: one tuple');
    const none = pairOf(new Int32Array(0), [0, 2]);
    expectSameAsTfjs(km.gatherND(x.km, none.km), tf.gatherND(x.tf, none.tf), 'no tuples');
  });

  it('gradient: each read slice gets its cotangent, slices read twice both (tfjs has no gradient)', () => {
    const rng = new Random(502);
    for (let trial = 0; trial < 30; trial++) {
      const x = randomPair(rng, randomShape(rng, 1 + Math.floor(rng.next() * 3), 4), 'float32');
      const k = 1 + Math.floor(rng.next() * x.km.rank);
      const idx = randomTuples(rng, [1 + Math.floor(rng.next() * 7)], x.km.shape.slice(0, k));
      expectSelectionGradient(rng, (v) => km.gatherND(v, idx.km), (v) => tf.gatherND(v, idx.tf), x, `gatherND ${shapeText(x)} indices ${shapeText(idx)}`);
    }
  });

  it('an out-of-range coordinate is an error naming it, where tfjs reads another element', () => {
    const x = pairOf(Float32Array.from({ length: 12 }, (_, i) => i), [3, 4]);
    expect(Array.from(tf.gatherND(x.tf, tf.tensor2d([[0, 5]], [1, 2], 'int32')).dataSync())).toEqual([5]); // tfjs: element [1, 1]
    expect(() => km.gatherND(x.km, [[0, 5]])).toThrow('km.gatherND(): index tuple 0 of indices, [0, 5], is out of range for x.shape [3, 4]: its coordinate 1 is 5, and axis 1 has size 4, so it must be from 0 to 3.');
    expect(() => km.gatherND(x.km, [[1, 1], [3, 0]])).toThrow(/index tuple 1 of indices, \[3, 0\].*coordinate 0 is 3, and axis 0 has size 3/);
    expect(() => km.gatherND(x.km, [[1, -1]])).toThrow(/coordinate 1 is -1, and axis 1 has size 4, so it must be from 0 to 3/);
  });

  it('bad inputs: float32 indices, tuples longer than x\'s rank, a scalar x', () => {
    const x = tensor([[1, 2], [3, 4]]);
    expect(() => km.gatherND(x, tensor([[0, 1]]))).toThrow("km.gatherND(): indices must be an int32 tensor (or an array of integers), as tfjs takes them. Cast them first: km.cast(indices, 'int32'). Received: indices.dtype='float32'.");
    expect(() => km.gatherND(x, [[0, 1, 0]])).toThrow(/at most x's rank\. Received: x\.shape=\[2, 2\], indices\.shape=\[1, 3\]/);
    expect(() => km.gatherND(tensor(3), [[0]])).toThrow(/x of rank 1 or more .* Received: x\.shape=\[\]/);
  });
});

describe('scatterND matches tfjs-core 4.22', () => {
  it('values and dtypes on random shapes; repeated tuples add up, as in tfjs', () => {
    const rng = new Random(503);
    for (let trial = 0; trial < 80; trial++) {
      const shape = randomShape(rng, 1 + Math.floor(rng.next() * 3), 5);
      const k = 1 + Math.floor(rng.next() * shape.length);
      const idx = randomTuples(rng, randomShape(rng, 1 + Math.floor(rng.next() * 2), 6), shape.slice(0, k));
      const updates = randomPair(rng, [...idx.km.shape.slice(0, -1), ...shape.slice(k)], pick(rng, ['float32', 'int32'] as const));
      const what = `shape [${shape.join(', ')}], indices ${shapeText(idx)}, updates ${updates.km.dtype}`;
      expectSameAsTfjs(km.scatterND(idx.km, updates.km, shape), tf.scatterND(idx.tf, updates.tf, shape), what);
    }
    const dup = pairOf(Int32Array.of(1, 1, 0, 1), [4, 1]);
    const u = pairOf(Float32Array.of(0.1, 0.2, 3, 0.7), [4]);
    expectSameAsTfjs(km.scatterND(dup.km, u.km, [3]), tf.scatterND(dup.tf, u.tf, [3]), 'three writes to one place, summed in float32 as tfjs');
    const flat = pairOf(Int32Array.of(2, 0, 2), [3]);
    const rows = randomPair(rng, [3, 2], 'int32');
    expectSameAsTfjs(km.scatterND(flat.km, rows.km, [4, 2]), tf.scatterND(flat.tf, rows.tf, [4, 2]), 'rank-1 indices: single coordinates');
  });

  it('gradient for updates: each gets the cotangent where it was written (tf.gatherND of dy; tfjs has no gradient)', () => {
    const rng = new Random(504);
    for (let trial = 0; trial < 30; trial++) {
      const shape = randomShape(rng, 1 + Math.floor(rng.next() * 3), 4);
      const k = 1 + Math.floor(rng.next() * shape.length);
      const idx = randomTuples(rng, [1 + Math.floor(rng.next() * 6)], shape.slice(0, k));
      const updates = randomPair(rng, [idx.km.shape[0], ...shape.slice(k)], 'float32');
      const dy = randomPair(rng, shape, 'float32', 2);
      const g = km.grad((u) => km.scatterND(idx.km, u, shape))(updates.km, dy.km);
      expectSameAsTfjs(g, tf.gatherND(dy.tf, idx.tf), `scatterND gradient, shape [${shape.join(', ')}], indices ${shapeText(idx)}`);
    }
  });

  it('an out-of-range coordinate is an error naming it, where tfjs writes elsewhere', () => {
    const idx = pairOf(Int32Array.of(0, 5), [1, 2]);
    const u = pairOf(Float32Array.of(7), [1]);
    expect(Array.from(tf.scatterND(idx.tf, u.tf, [3, 4]).dataSync())[5]).toBe(7); // tfjs: element [1, 1]
    expect(() => km.scatterND(idx.km, u.km, [3, 4])).toThrow('km.scatterND(): index tuple 0 of indices, [0, 5], is out of range for shape [3, 4]: its coordinate 1 is 5, and axis 1 has size 4, so it must be from 0 to 3.');
    expect(() => km.scatterND([[3]], [1], [3])).toThrow(/coordinate 0 is 3, and axis 0 has size 3/);
  });

  it('bad inputs: updates of the wrong shape, a bad shape, float32 indices', () => {
    expect(() => km.scatterND([[0], [1]], [1, 2, 3], [4])).toThrow('km.scatterND(): updates must have shape indices.shape[:-1] + shape[1:] = [2], a slice per index tuple. Received: updates.shape=[3], indices.shape=[2, 1], shape=[4].');
    expect(() => km.scatterND([[0]], [[1, 2]], [4, 3])).toThrow(/updates must have shape .* = \[1, 3\]/);
    expect(() => km.scatterND([[0]], [1], [2.5])).toThrow('km.scatterND(): shape must be an array of non-negative integers, the result\'s shape. Received: shape=[2.5].');
    expect(() => km.scatterND([[0, 0, 0]], [1], [4, 4])).toThrow(/at most the rank of shape/);
    expect(() => km.scatterND(tensor([[0]]), [1], [4])).toThrow(/indices must be an int32 tensor/);
  });
});

describe('tensorScatterUpdate matches tfjs-core 4.22', () => {
  it('values and dtypes on random shapes; with repeated tuples the last write wins, as in tfjs', () => {
    const rng = new Random(505);
    for (let trial = 0; trial < 80; trial++) {
      const dtype = pick(rng, ['float32', 'int32'] as const) as DType;
      const t = randomPair(rng, randomShape(rng, 1 + Math.floor(rng.next() * 3), 5), dtype);
      const k = 1 + Math.floor(rng.next() * t.km.rank);
      const idx = randomTuples(rng, [1 + Math.floor(rng.next() * 6)], t.km.shape.slice(0, k));
      const updates = randomPair(rng, [idx.km.shape[0], ...t.km.shape.slice(k)], dtype);
      expectSameAsTfjs(km.tensorScatterUpdate(t.km, idx.km, updates.km), tf.tensorScatterUpdate(t.tf, idx.tf, updates.tf), `tensor ${dtype} ${shapeText(t)}, indices ${shapeText(idx)}`);
    }
  });

  it('gradients: tensor gets dy where nothing was written, each update dy where it was written last (tfjs has none)', () => {
    const rng = new Random(506);
    for (let trial = 0; trial < 30; trial++) {
      const t = randomPair(rng, randomShape(rng, 1 + Math.floor(rng.next() * 3), 4), 'float32');
      const k = 1 + Math.floor(rng.next() * t.km.rank);
      const idx = randomTuples(rng, [1 + Math.floor(rng.next() * 6)], t.km.shape.slice(0, k));
      const uShape = [idx.km.shape[0], ...t.km.shape.slice(k)];
      const u = randomPair(rng, uShape, 'float32');
      const what = `${shapeText(t)} indices ${shapeText(idx)}`;
      // Written places read 0 from zero updates; each update's element lands where it was written last.
      expectSelectionGradient(rng, (v) => km.tensorScatterUpdate(v, idx.km, u.km), (v) => tf.tensorScatterUpdate(v, idx.tf, tf.zeros(uShape)), t, `tensor ${what}`);
      expectSelectionGradient(rng, (v) => km.tensorScatterUpdate(t.km, idx.km, v), (v) => tf.tensorScatterUpdate(tf.zeros([...t.km.shape]), idx.tf, v), u, `updates ${what}`);
    }
  });

  it('bad inputs: updates of another dtype, an out-of-range coordinate, updates of the wrong shape', () => {
    const t = tensor([[1, 2], [3, 4]]);
    expect(() => km.tensorScatterUpdate(t, [[0]], tensor([[1, 2]], undefined, 'int32'))).toThrow("km.tensorScatterUpdate(): updates must have tensor's dtype, as in tfjs. Cast one of them first: km.cast(updates, 'float32'). Received: tensor.dtype='float32', updates.dtype='int32'.");
    expect(() => km.tensorScatterUpdate(t, [[1, 2]], [9])).toThrow('km.tensorScatterUpdate(): index tuple 0 of indices, [1, 2], is out of range for tensor.shape [2, 2]: its coordinate 1 is 2, and axis 1 has size 2, so it must be from 0 to 1.');
    expect(() => km.tensorScatterUpdate(t, [[0]], [9])).toThrow(/updates must have shape indices\.shape\[:-1\] \+ tensor\.shape\[1:\] = \[1, 2\]/);
  });

  it('the ops are km.gatherND, km.scatterND and km.tensorScatterUpdate from the package', () => {
    expect(kmIndex.gatherND).toBe(km.gatherND);
    expect(kmIndex.scatterND).toBe(km.scatterND);
    expect(kmIndex.tensorScatterUpdate).toBe(km.tensorScatterUpdate);
  });
});
