// km.stridedSlice against tfjs-core 4.22 (CPU backend): values, shapes and dtypes over random specs
// with every mask, negative strides and indices past the ends; its gradient (tfjs has none) against
// a float64 reference; and its errors.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import * as kmIndex from '../index.js';
import { expectSameAsTfjs, pairOf, pick, randomPair, randomShape, type Pair } from '../testing/tfjs_op_parity.js';
import { expectSelectionGradient } from '../testing/selection_gradient.js';
import { Random } from '../utils/random.js';
import * as km from './index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

interface Spec {
  begin: number[];
  end: number[];
  strides: number[];
  masks: [number, number, number, number, number];
}

const STRIDES = [-3, -2, -1, 1, 1, 1, 2, 3];

function randomMask(rng: Random, entries: number, p: number): number {
  let mask = 0;
  for (let i = 0; i < entries; i++) if (rng.next() < p) mask |= 1 << i;
  return mask;
}

/** begin and end anywhere from 6 before the start to 6 past the end of an axis, masks of any bits, one ellipsis at most. */
function randomSpec(rng: Random, rank: number): Spec {
  const entries = Math.floor(rng.next() * (rank + 3));
  const index = (): number => Math.floor(rng.uniform(-8, 9));
  const ellipsis = entries > 0 && rng.next() < 0.3 ? 1 << Math.floor(rng.next() * entries) : 0;
  return {
    begin: Array.from({ length: entries }, index),
    end: Array.from({ length: entries }, index),
    strides: Array.from({ length: entries }, () => pick(rng, STRIDES)),
    masks: [randomMask(rng, entries, 0.3), randomMask(rng, entries, 0.3), ellipsis, randomMask(rng, entries, 0.15), randomMask(rng, entries, 0.2)],
  };
}

const ours = (x: kmIndex.Tensor, s: Spec) => km.stridedSlice(x, s.begin, s.end, s.strides, ...s.masks);
const theirs = (x: tf.Tensor, s: Spec) => tf.stridedSlice(x, s.begin, s.end, s.strides, ...s.masks);

/**
 * tfjs 4.22's CPU kernel errors where TensorFlow gives a result: its contiguous fast path (tf.slice
 * with size end - begin) throws on begin past end with stride 1, and its general path indexes x
 * with the shrunk axes left out (a wrong value, or an out-of-range read).
 */
const TFJS_BUGS = /Negative size values|must match the product of shape|Requested out of range element|number of provided coordinates/;

/**
 * The spec with each shrunk entry written as the one-wide range it takes: tfjs computes that
 * correctly, and reshaped to the shape tfjs' sliceInfo gives the spec, it is the reference.
 */
function unshrunk(spec: Spec): Spec {
  const [beginMask, endMask, ellipsisMask, newAxisMask, shrinkAxisMask] = spec.masks;
  const masks: Spec['masks'] = [beginMask, endMask, ellipsisMask, newAxisMask, 0];
  const end = [...spec.end];
  const strides = [...spec.strides];
  spec.begin.forEach((b, i) => {
    const bit = 1 << i;
    if (!(shrinkAxisMask & bit) || newAxisMask & bit || ellipsisMask & bit) return;
    masks[0] &= ~bit;
    strides[i] = 1;
    if (b === -1) masks[1] |= bit;
    else [end[i], masks[1]] = [b + 1, masks[1] & ~bit];
  });
  return { begin: spec.begin, end, strides, masks };
}

function reference(x: tf.Tensor, spec: Spec): tf.Tensor {
  const { finalShape } = tf.slice_util.sliceInfo(x.shape, spec.begin, spec.end, spec.strides, ...spec.masks);
  return tf.reshape(theirs(x, unshrunk(spec)), finalShape);
}

function attempt<T>(f: () => T): T | Error {
  try {
    return f();
  } catch (e) {
    return e as Error;
  }
}

describe('km.stridedSlice matches tf.stridedSlice', () => {
  it('over random shapes and specs of both dtypes: every mask, negative strides, indices past the ends', () => {
    const rng = new Random(7);
    const counts = { same: 0, tfjsWrong: 0, bothThrow: 0, empty: 0 };
    for (let trial = 0; trial < 1500; trial++) {
      const rank = Math.floor(rng.next() * 5);
      const x = randomPair(rng, randomShape(rng, rank, 5), pick(rng, ['float32', 'int32'] as const));
      const spec = randomSpec(rng, rank);
      const what = `x [${x.km.shape.join(', ')}] ${x.km.dtype}, spec ${JSON.stringify(spec)}`;
      const expected = attempt(() => theirs(x.tf, spec));
      const got = attempt(() => ours(x.km, spec));
      if (expected instanceof Error && !TFJS_BUGS.test(expected.message)) {
        expect(got, `${what}: tfjs throws '${expected.message}'`).toBeInstanceOf(Error);
        expect((got as Error).message, what).toMatch(/^km\.stridedSlice\(\): (begin has more entries|begin\[\d+\] = -?\d+ indexes axis|an axis picked by shrinkAxisMask)/);
        counts.bothThrow++;
        continue;
      }
      expect(got, what).not.toBeInstanceOf(Error);
      const ourResult = got as kmIndex.Tensor;
      const { finalShape } = tf.slice_util.sliceInfo([...x.km.shape], spec.begin, spec.end, spec.strides, ...spec.masks);
      if (finalShape.includes(0)) {
        // tfjs' contiguous fast path (tf.slice with size end - begin) throws on begin past end with
        // stride 1; TensorFlow (and tfjs' own shape logic, sliceInfo) gives an empty slice.
        expect({ what, shape: [...ourResult.shape], size: ourResult.size, dtype: ourResult.dtype }).toEqual({ what, shape: finalShape, size: 0, dtype: x.km.dtype });
        counts.empty++;
        continue;
      }
      expectSameAsTfjs(ourResult, reference(x.tf, spec), what);
      if (expected instanceof Error || Array.from(expected.dataSync()).join() !== Array.from(ourResult.dataSync()).join()) counts.tfjsWrong++;
      else counts.same++;
    }
    expect(counts.same).toBeGreaterThan(500);
    expect(counts.tfjsWrong).toBeGreaterThan(3);
    expect(counts.bothThrow).toBeGreaterThan(100);
    expect(counts.empty).toBeGreaterThan(100);
  });

  it('each mask on its own, negative strides and clamped ends, on a [5, 4, 3] tensor', () => {
    const x = pairOf(Float32Array.from({ length: 60 }, (_, i) => i - 30.5), [5, 4, 3]);
    const cases: Spec[] = [
      { begin: [1, 0, 0], end: [4, 4, 3], strides: [1, 1, 1], masks: [0, 0, 0, 0, 0] },
      { begin: [4, 3, 2], end: [0, 0, 0], strides: [-1, -2, -1], masks: [0, 0, 0, 0, 0] },
      { begin: [9, -9, 1], end: [-9, 9, 3], strides: [-2, 3, 1], masks: [0, 0, 0, 0, 0] },
      { begin: [3, 1, 1], end: [1, 3, 2], strides: [1, 1, 1], masks: [1, 2, 0, 0, 0] },
      { begin: [3, 1, 1], end: [1, 3, 2], strides: [-1, 1, 1], masks: [1, 4, 0, 0, 0] },
      { begin: [0, 1], end: [0, 3], strides: [1, 1], masks: [0, 0, 1, 0, 0] },
      { begin: [0, 0, 1], end: [0, 0, 3], strides: [1, 1, 1], masks: [0, 0, 2, 1, 0] },
      { begin: [-1, 0, 2], end: [0, 4, 3], strides: [1, 1, 1], masks: [0, 0, 0, 0, 5] },
      { begin: [2, 0, 0, 1], end: [3, 0, 0, 2], strides: [1, 1, 1, 1], masks: [0, 0, 4, 2, 9] },
      { begin: [1], end: [4], strides: [2], masks: [0, 0, 0, 0, 0] },
      { begin: [], end: [], strides: [], masks: [0, 0, 0, 0, 0] },
    ];
    for (const spec of cases) {
      expectSameAsTfjs(ours(x.km, spec), theirs(x.tf, spec), JSON.stringify(spec));
      const i = pairOf(Int32Array.from({ length: 60 }, (_, k) => 7 * k - 200), [5, 4, 3]);
      expectSameAsTfjs(ours(i.km, spec), theirs(i.tf, spec), `int32 ${JSON.stringify(spec)}`);
    }
    // Without strides, 1s; begin past end with a positive stride is empty, as in TensorFlow (tfjs throws here).
    expectSameAsTfjs(km.stridedSlice(x.km, [1, 1], [3, -1]), tf.stridedSlice(x.tf, [1, 1], [3, -1]), 'default strides');
    expect(km.stridedSlice(x.km, [3], [1]).shape).toEqual([0, 4, 3]);
    expect(() => tf.stridedSlice(x.tf, [3], [1])).toThrow('Negative size values');
    // A shrunk axis beside a non-unit stride: tfjs reads the wrong element ([3, 0, 0], not [3, 1, 2]).
    const shrunk: Spec = { begin: [3, -1, 2], end: [4, -5, 3], strides: [1, -2, 1], masks: [0, 0, 0, 0, 5] };
    const values = x.km.arraySync() as number[][][];
    expect(ours(x.km, shrunk).arraySync()).toEqual([values[3][3][2], values[3][1][2]]);
    expectSameAsTfjs(ours(x.km, shrunk), reference(x.tf, shrunk), 'shrink and stride -2');
    expect(Array.from(theirs(x.tf, shrunk).dataSync())).not.toEqual(Array.from(ours(x.km, shrunk).dataSync()));
  });

  it('has a gradient (tfjs has none) that puts dy where each value came from', () => {
    const rng = new Random(8);
    const x = pairOf(Float32Array.of(1), [1]);
    expect(() => tf.grad((a: tf.Tensor) => tf.stridedSlice(a, [0], [1]))(x.tf)).toThrow('gradient function not found for StridedSlice');
    let checked = 0;
    for (let trial = 0; trial < 300 && checked < 80; trial++) {
      const rank = 1 + Math.floor(rng.next() * 3);
      const p: Pair = randomPair(rng, randomShape(rng, rank, 5), 'float32');
      const spec = randomSpec(rng, rank);
      const ok = attempt(() => reference(p.tf, spec));
      if (ok instanceof Error || ok.size === 0) continue;
      expectSelectionGradient(rng, (t) => ours(t, spec), (t) => reference(t, spec), p, `gradient, x [${p.km.shape.join(', ')}], ${JSON.stringify(spec)}`);
      checked++;
    }
    expect(checked).toBe(80);
  });

  it('is km.stridedSlice and a tensor method', () => {
    const x = kmIndex.tensor([[1, 2, 3], [4, 5, 6]]);
    expect(kmIndex.stridedSlice(x, [0, 2], [2, -4], [1, -1]).arraySync()).toEqual([[3, 2, 1], [6, 5, 4]]);
    expect(x.stridedSlice([1], [2], [1], 0, 0, 0, 0, 1).arraySync()).toEqual([4, 5, 6]);
  });

  it('names each bad input and the fix', () => {
    const x = kmIndex.zeros([2, 3]);
    expect(() => km.stridedSlice(x, [0, 0], [1, 1], [1, 0])).toThrow('km.stridedSlice(): strides[1] is 0; a stride is a step along the axis: use a positive one (forward) or a negative one (backward). Received: strides=[1,0].');
    expect(() => km.stridedSlice(x, [0, 0], [1])).toThrow('km.stridedSlice(): begin, end and strides must be lists of integers of one length (strides defaults to 1s). Received: begin=[0,0], end=[1], strides=undefined.');
    expect(() => km.stridedSlice(x, [0.5], [1])).toThrow('must be lists of integers of one length');
    expect(() => km.stridedSlice(x, [0, 0], [1, 1], [1, 1], 0, 0, 3)).toThrow('km.stridedSlice(): ellipsisMask may set one bit (one ellipsis) only. Received: ellipsisMask=3 (binary 11).');
    expect(() => km.stridedSlice(x, [0], [1], [1], -1)).toThrow('km.stridedSlice(): beginMask must be a bit mask, a non-negative integer (bit i for entry i). Received: beginMask=-1.');
    expect(() => km.stridedSlice(x, [0, 0, 0], [1, 1, 1])).toThrow('km.stridedSlice(): begin has more entries than x has axes: entry 2 would index axis 2 of shape [2, 3]. Drop entries, or mark new axes with newAxisMask. Received: begin=[0,0,0].');
    expect(() => km.stridedSlice(x, [0, 3], [1, 4], [1, 1], 0, 0, 0, 0, 2)).toThrow('km.stridedSlice(): begin[1] = 3 indexes axis 1 (shrinkAxisMask), which has 3 entries: use an index from -3 to 2. Received: x.shape=[2, 3].');
    expect(() => km.stridedSlice(x, [0], [1], [-1], 0, 0, 0, 0, 1)).toThrow('km.stridedSlice(): an axis picked by shrinkAxisMask (entry 0) needs a positive stride. Received: strides[0]=-1.');
  });
});
