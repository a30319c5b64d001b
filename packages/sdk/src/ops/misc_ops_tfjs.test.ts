// addN, all, any, bitwiseAnd, broadcastArgs, inTopKAsync and sparseToDense against tfjs-core 4.22
// (CPU backend): values, dtypes and shapes at special values and random shapes with odd sizes,
// addN's gradient against tf.grads, sparseToDense's (which tfjs lacks) against a naive loop, and
// the errors for bad input.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import * as kmRoot from '../index.js';
import { tensor } from '../tensor.js';
import { broadcastableShape, expectSameAsTfjs, expectSameAsTfjsBool, expectSameGradients, pairOf, pick, randomAxis, randomPair, randomShape, uniformPair } from '../testing/tfjs_op_parity.js';
import { Random } from '../utils/random.js';
import * as km from './index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const SPECIAL = [0, -0, NaN, Infinity, -Infinity, 1, -1, 0.5, 3.4e38, -3.4e38, 1e-45];
const int32 = (values: number[], shape?: number[]) => tensor(values, shape, 'int32');

describe('misc ops match tfjs-core 4.22', () => {
  it('addN: values and dtypes of 1 to 4 tensors of random shapes (float32 rounding after each add, int32 wrapping), and gradients', () => {
    const rng = new Random(71);
    for (let trial = 0; trial < 40; trial++) {
      const shape = randomShape(rng, Math.floor(rng.next() * 4), 5);
      const dtype = pick(rng, ['float32', 'int32'] as const);
      const xs = Array.from({ length: 1 + Math.floor(rng.next() * 4) }, () => randomPair(rng, shape, dtype, dtype === 'int32' ? 2 ** 30 : 1e6));
      expectSameAsTfjs(km.addN(xs.map((x) => x.km)), tf.addN(xs.map((x) => x.tf)), `addN ${xs.length}× ${dtype} [${shape.join(', ')}]`);
      if (dtype === 'float32') {
        expectSameGradients(rng, { km: (...ts) => km.addN(ts), tf: (...ts) => tf.addN(ts) }, xs, `addN gradient ${xs.length}× [${shape.join(', ')}]`);
      }
    }
    const a = pairOf(Float32Array.from(SPECIAL), [SPECIAL.length]);
    const b = pairOf(Float32Array.from(SPECIAL).reverse(), [SPECIAL.length]);
    expectSameAsTfjs(km.addN([a.km, b.km, a.km]), tf.addN([a.tf, b.tf, a.tf]), 'addN special values');
    // The same tensor twice gets dy twice.
    expect(Array.from(km.grad((x) => km.addN([x, x, kmRoot.tensor([1, 1])]).sum())(kmRoot.tensor([3, 4])).dataSync())).toEqual([2, 2]);
  });

  it('all and any: random shapes, axes and keepDims, int32 and float32 with NaN and -0, as tfjs on the bool cast', () => {
    const rng = new Random(72);
    for (let trial = 0; trial < 60; trial++) {
      const shape = randomShape(rng, Math.floor(rng.next() * 4), 5);
      const size = shape.reduce((n, d) => n * d, 1);
      const pool = rng.next() < 0.5 ? [0, 1, -3] : [0, -0, NaN, 2.5, Infinity];
      const p = rng.next() < 0.3 ? 0.1 : 0.7;
      const values = Array.from({ length: size }, () => (rng.next() < p ? pick(rng, pool.slice(1)) : 0));
      const x = pool[2] === -3 ? pairOf(Int32Array.from(values), shape) : pairOf(Float32Array.from(values), shape);
      const axis = randomAxis(rng, shape.length);
      const keepDims = rng.next() < 0.5;
      const what = `${x.km.dtype} [${shape.join(', ')}] axis ${JSON.stringify(axis)} keepDims ${keepDims}`;
      const b = tf.notEqual(x.tf, 0);
      expectSameAsTfjsBool(km.all(x.km, axis, keepDims), tf.all(b, axis ?? undefined, keepDims), `all ${what}`);
      expectSameAsTfjsBool(x.km.any(axis, keepDims), tf.any(b, axis ?? undefined, keepDims), `t.any ${what}`);
    }
    const special = pairOf(Float32Array.from(SPECIAL), [SPECIAL.length]);
    expectSameAsTfjsBool(special.km.all(), tf.all(tf.notEqual(special.tf, 0)), 'all special values');
    expectSameAsTfjsBool(km.any(special.km.reshape([1, -1]), 0), tf.any(tf.notEqual(tf.reshape(special.tf, [1, -1]), 0), 0), 'any special values');
  });

  it('all over an empty axis is 1 and any 0, as in NumPy (tfjs gives 0 for all)', () => {
    const empty = kmRoot.tensor(new Float32Array(0), [2, 0]);
    const naive = (every: boolean) => [0, 1].map(() => (every ? [].every(Boolean) : [].some(Boolean)) ? 1 : 0);
    expect(Array.from(km.all(empty, 1).dataSync())).toEqual(naive(true));
    expect(Array.from(km.any(empty, 1).dataSync())).toEqual(naive(false));
    expect(km.all(empty, 0).shape).toEqual([0]);
  });

  it('bitwiseAnd: random int32 values over the whole range, and odd shapes', () => {
    const rng = new Random(73);
    for (let trial = 0; trial < 30; trial++) {
      const shape = randomShape(rng, Math.floor(rng.next() * 4), 5);
      const [x, y] = [randomPair(rng, shape, 'int32', 2 ** 31 - 1), randomPair(rng, shape, 'int32', 2 ** 31 - 1)];
      expectSameAsTfjs(km.bitwiseAnd(x.km, y.km), tf.bitwiseAnd(x.tf, y.tf), `bitwiseAnd [${shape.join(', ')}]`);
    }
    const x = pairOf(Int32Array.of(-1, -(2 ** 31), 2 ** 31 - 1, 0, 12, -12), [6]);
    const y = pairOf(Int32Array.of(-(2 ** 31), -1, -1, -1, 10, 7), [6]);
    expectSameAsTfjs(km.bitwiseAnd(x.km, y.km), tf.bitwiseAnd(x.tf, y.tf), 'bitwiseAnd bounds and signs');
  });

  it('broadcastArgs: random broadcastable shapes (with 0 and 1 sizes), arrays and int32 tensors', () => {
    const rng = new Random(74);
    for (let trial = 0; trial < 40; trial++) {
      const out = randomShape(rng, Math.floor(rng.next() * 5), 5).map((d) => (rng.next() < 0.1 ? 0 : d));
      const [s0, s1] = [broadcastableShape(rng, out), broadcastableShape(rng, out)];
      const theirs = tf.broadcastArgs(tf.tensor1d(s0, 'int32'), tf.tensor1d(s1, 'int32'));
      expectSameAsTfjs(trial % 2 ? km.broadcastArgs(s0, s1) : km.broadcastArgs(int32(s0), int32(s1)), theirs, `broadcastArgs [${s0.join(', ')}] [${s1.join(', ')}]`);
    }
  });

  it('inTopKAsync: random predictions with ties, ranks 2 and 3, every k, targets outside the classes', async () => {
    const rng = new Random(75);
    for (let trial = 0; trial < 40; trial++) {
      const shape = [...randomShape(rng, 1 + Math.floor(rng.next() * 2), 5), 1 + Math.floor(rng.next() * 7)];
      const classes = shape[shape.length - 1];
      const p = trial % 5 === 0 ? pairOf(Int32Array.from({ length: shape.reduce((n, d) => n * d, 1) }, () => Math.floor(rng.uniform(-2, 3))), shape) : uniformPair(rng, shape, -2, 2);
      const targetValues = Int32Array.from({ length: p.km.size / classes }, () => Math.floor(rng.uniform(-1, classes + 1)));
      const t = pairOf(targetValues, shape.slice(0, -1));
      const k = 1 + Math.floor(rng.next() * classes);
      expectSameAsTfjsBool(await km.inTopKAsync(p.km, t.km, k), await tf.inTopKAsync(p.tf, t.tf, k), `inTopKAsync [${shape.join(', ')}] k=${k}`);
    }
    const special = pairOf(Float32Array.of(NaN, 1, Infinity, -Infinity, 1, -0, 0, NaN), [2, 4]);
    const targets = pairOf(Int32Array.of(0, 2), [2]);
    for (const k of [1, 2, 3, 4]) expectSameAsTfjsBool(await km.inTopKAsync(special.km, targets.km, k), await tf.inTopKAsync(special.tf, targets.tf, k), `inTopKAsync special values k=${k}`);
    expectSameAsTfjsBool(await km.inTopKAsync(special.km, targets.km), await tf.inTopKAsync(special.tf, targets.tf), 'inTopKAsync default k');
  });

  it('sparseToDense: random distinct tuples in shapes of rank 1 to 3, vector and scalar values, defaults, both dtypes', () => {
    const rng = new Random(76);
    for (let trial = 0; trial < 50; trial++) {
      const outputShape = randomShape(rng, 1 + Math.floor(rng.next() * 3), 5);
      const size = outputShape.reduce((n, d) => n * d, 1);
      const places = Array.from({ length: size }, (_, i) => i);
      rng.shuffle(places);
      const n = Math.floor(rng.next() * (size + 1));
      const tuples = places.slice(0, n).map((flat) => outputShape.map((_, a) => Math.floor(flat / outputShape.slice(a + 1).reduce((m, d) => m * d, 1)) % outputShape[a]));
      const indices = outputShape.length === 1 && rng.next() < 0.5 ? pairOf(Int32Array.from(tuples.flat()), [n]) : pairOf(Int32Array.from(tuples.flat()), [n, outputShape.length]);
      const dtype = pick(rng, ['float32', 'int32'] as const);
      const values = rng.next() < 0.3 ? randomPair(rng, [], dtype) : randomPair(rng, [n], dtype);
      const fill = pick(rng, [0, -1.5, 7, NaN]);
      const what = `${dtype} [${outputShape.join(', ')}] n=${n} values [${values.km.shape.join(', ')}] default ${fill}`;
      const dflt = dtype === 'int32' ? Math.trunc(fill) || 0 : fill;
      expectSameAsTfjs(km.sparseToDense(indices.km, values.km, outputShape, dflt), tf.sparseToDense(indices.tf, values.tf, outputShape, tf.scalar(dflt, dtype)), what);
    }
    const scalarIndex = pairOf(Int32Array.of(3), []);
    const special = pairOf(Float32Array.of(NaN), []);
    expectSameAsTfjs(km.sparseToDense(scalarIndex.km, special.km, [5], -0), tf.sparseToDense(scalarIndex.tf, special.tf, [5], -0), 'scalar index, NaN value, -0 default');
    expectSameAsTfjs(km.sparseToDense(scalarIndex.km, special.km, [5]), tf.sparseToDense(scalarIndex.tf, special.tf, [5]), 'default defaultValue');
  });

  it('sparseToDense gradients: each value gets dy where it was written, a scalar value their sum, defaultValue the rest (naive loop)', () => {
    const rng = new Random(77);
    const indices = int32([0, 1, 2, 0, 1, 4], [3, 2]);
    const dy = randomPair(rng, [3, 5], 'float32', 2).km;
    const d = dy.dataSync();
    const at = [1, 10, 9]; // the row-major offsets of [0, 1], [2, 0], [1, 4] in [3, 5]
    const rest = Array.from(d).reduce((s, g, e) => (at.includes(e) ? s : s + g), 0);
    const [gv, gd] = km.grads((v, f) => km.sparseToDense(indices, v, [3, 5], f))([kmRoot.tensor([1, 2, 3]), kmRoot.scalar(0.5)], dy);
    expect(Array.from(gv.dataSync())).toEqual(at.map((e) => d[e]));
    expect(gd.dataSync()[0]).toBeCloseTo(rest, 5);
    const [gs] = km.grads((v) => km.sparseToDense(indices, v, [3, 5]))([kmRoot.scalar(2)], dy);
    expect(gs.dataSync()[0]).toBeCloseTo(at.reduce((s, e) => s + d[e], 0), 5);
  });

  it('are reachable from the package root, and all/any as tensor methods', () => {
    for (const name of ['addN', 'all', 'any', 'bitwiseAnd', 'broadcastArgs', 'inTopKAsync', 'sparseToDense'] as const) expect(kmRoot[name]).toBe(km[name]);
    expect(Array.from(tensor([[1, 0], [1, 1]]).all(1).dataSync())).toEqual([0, 1]);
    expect(tensor([[0, 0], [0, 1]]).any(0, true).shape).toEqual([1, 2]);
  });

  it('name each bad input and its fix', async () => {
    const f = tensor([1, 2]);
    expect(() => km.addN([])).toThrow(/km\.addN\(\): pass a non-empty array of tensors/);
    expect(() => km.addN([f, tensor([1, 2, 3])])).toThrow('km.addN(): all tensors must have one shape (addN does not broadcast, as in tfjs). Broadcast them first with km.broadcastTo(t, [2]), or use km.add. Received: tensors[0].shape=[2], tensors[1].shape=[3].');
    expect(() => km.addN([f, int32([1, 2])])).toThrow(/tensors\[0\] is float32 but tensors\[1\] is int32.*Cast them first/);
    expect(() => km.all(f, 1)).toThrow(/km\.all\(\): axis 1 is out of range for shape \[2\]/);
    expect(() => km.any(f, [0, 0])).toThrow(/km\.any\(\): axis 0 is given twice/);
    expect(() => km.bitwiseAnd(f, int32([1, 2]))).toThrow("km.bitwiseAnd() takes int32 tensors only, as tfjs does. Cast them first: km.cast(t, 'int32'). Received: x.dtype='float32', y.dtype='int32'.");
    expect(() => km.bitwiseAnd(int32([1]), int32([1, 2]))).toThrow(/one shape .* Received: x\.shape=\[1\], y\.shape=\[2\]/);
    expect(() => km.broadcastArgs([2, 3], [4])).toThrow(/km\.broadcastArgs\(\): shapes \[2, 3\] and \[4\] do not broadcast: axis -1 has 3 and 4/);
    expect(() => km.broadcastArgs(int32([1, 2], [1, 2]), [2])).toThrow('km.broadcastArgs(): s0 must be a shape, a vector (rank 1) of non-negative sizes, e.g. [2, 1, 3]. Received: s0.shape=[1, 2], values [1, 2].');
    expect(() => km.broadcastArgs([2], [-1])).toThrow(/s1 must be a shape.*values \[-1\]/);
    expect(() => km.broadcastArgs(f, [2])).toThrow(/s0 must be an int32 tensor.*km\.cast\(s0, 'int32'\)/);
    const preds = tensor([[1, 2, 3]]);
    await expect(km.inTopKAsync(tensor([1, 2]), int32([0]))).rejects.toThrow(/predictions must have rank 2 or more .* Received: predictions\.shape=\[2\], targets\.shape=\[1\]/);
    await expect(km.inTopKAsync(preds, int32([0, 1]))).rejects.toThrow(/targets\.shape=\[2\]/);
    await expect(km.inTopKAsync(preds, int32([0]), 4)).rejects.toThrow('km.inTopKAsync(): k must be an integer from 1 to the number of classes (3, predictions\' last axis). Received: k=4.');
    await expect(km.inTopKAsync(preds, int32([0]), 0)).rejects.toThrow(/Received: k=0/);
    await expect(km.inTopKAsync(preds, int32([0]), 1.5)).rejects.toThrow(/Received: k=1\.5/);
    expect(() => km.sparseToDense(int32([1, 1]), [5, 6], [4])).toThrow('km.sparseToDense(): index tuples 0 and 1 of sparseIndices are the same place (offset 1 in outputShape [4]); each place may be written once, as TensorFlow\'s validate_indices requires. Remove the repeat, or add repeated values with km.scatterND.');
    expect(() => km.sparseToDense(int32([0, 4]), [5, 6], [4])).toThrow(/index tuple 1 of indices, \[4\], is out of range for outputShape \[4\]: its coordinate 0 is 4/);
    expect(() => km.sparseToDense(int32([0, 0, 2, 3], [2, 2]), [5, 6], [3, 3])).toThrow(/index tuple 1 of indices, \[2, 3\], is out of range for outputShape \[3, 3\]: its coordinate 1 is 3, and axis 1 has size 3/);
    expect(() => km.sparseToDense(int32([0, 1]), [5, 6, 7], [4])).toThrow('km.sparseToDense(): sparseValues must be a scalar (written at every index tuple) or a vector of 2 values, one per tuple of sparseIndices. Received: sparseValues.shape=[3].');
    expect(() => km.sparseToDense(int32([0, 1]), [5, 6], [4, 2])).toThrow(/sparseIndices must be a scalar or a vector .* Received: sparseIndices\.shape=\[2\], outputShape=\[4, 2\]/);
    expect(() => km.sparseToDense(int32([0], [1, 1, 1]), [5], [4])).toThrow(/Received: sparseIndices\.shape=\[1, 1, 1\]/);
    expect(() => km.sparseToDense(f, [5, 6], [4])).toThrow(/sparseIndices must be an int32 tensor/);
    expect(() => km.sparseToDense(int32([0]), [5], [4], kmRoot.scalar(1, 'int32'))).toThrow("km.sparseToDense(): defaultValue must be a number or a scalar tensor of sparseValues' dtype ('float32'), as in tfjs. Pass a number, or km.scalar(v, 'float32'). Received: defaultValue.shape=[], defaultValue.dtype='int32'.");
    expect(() => km.sparseToDense(int32([0]), [5], [-4])).toThrow('km.sparseToDense(): outputShape must be an array of non-negative integers, the result\'s shape. Received: outputShape=[-4].');
  });
});
