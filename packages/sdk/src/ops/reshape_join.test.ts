import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { tensor, zeros } from '../index.js';
import { expectSameAsTfjs, pairOf, pick, randomPair, randomShape } from '../testing/tfjs_op_parity.js';
import { Random } from '../utils/random.js';
import { cast, concat, expandDims, squeeze, stack, topk, transpose } from './index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('shape ops match tfjs-core 4.22', () => {
  it('transpose: default reversal and random permutations', () => {
    const rng = new Random(21);
    for (let trial = 0; trial < 60; trial++) {
      const x = randomPair(rng, randomShape(rng, Math.floor(rng.next() * 5)), pick(rng, ['float32', 'int32'] as const));
      const perm = x.km.shape.map((_, i) => i);
      rng.shuffle(perm);
      expectSameAsTfjs(transpose(x.km, perm), tf.transpose(x.tf, perm), `transpose [${x.km.shape.join(', ')}] by [${perm.join(', ')}]`);
      expectSameAsTfjs(x.km.transpose(), tf.transpose(x.tf), `t.transpose() [${x.km.shape.join(', ')}]`);
    }
  });

  it('squeeze (all, or the axes given, negative ones too) and expandDims at every position', () => {
    const rng = new Random(22);
    for (let trial = 0; trial < 60; trial++) {
      const x = randomPair(rng, randomShape(rng, Math.floor(rng.next() * 5), 2), 'float32');
      const what = `[${x.km.shape.join(', ')}]`;
      expectSameAsTfjs(squeeze(x.km), tf.squeeze(x.tf), `squeeze ${what}`);
      const ones = x.km.shape.map((d, i) => (d === 1 ? i - (rng.next() < 0.5 ? x.km.rank : 0) : null)).filter((a): a is number => a !== null && rng.next() < 0.6);
      expectSameAsTfjs(x.km.squeeze(ones), tf.squeeze(x.tf, ones), `squeeze ${what} axis [${ones.join(', ')}]`);
      const axis = Math.floor(rng.next() * (2 * x.km.rank + 2)) - x.km.rank - 1;
      expectSameAsTfjs(expandDims(x.km, axis), tf.expandDims(x.tf, axis), `expandDims ${what} axis ${axis}`);
    }
    expectSameAsTfjs(tensor([1, 2]).expandDims(), tf.expandDims(tf.tensor([1, 2])), 'expandDims default axis');
  });

  it('cast truncates toward zero, NaN to 0 and wraps beyond int32, as tfjs does', () => {
    const x = pairOf(Float32Array.of(1.7, -1.7, NaN, 3e9, -0.5), [5]);
    expectSameAsTfjs(cast(x.km, 'int32'), tf.cast(x.tf, 'int32'), 'float32 to int32');
    const i = pairOf(Int32Array.of(1, -2), [2]);
    expectSameAsTfjs(i.km.cast('float32'), tf.cast(i.tf, 'float32'), 'int32 to float32');
    expectSameAsTfjs(i.km.cast('int32'), tf.cast(i.tf, 'int32'), 'int32 to int32');
  });

  it('concat along random (negative) axes, and stack along a new axis', () => {
    const rng = new Random(23);
    for (let trial = 0; trial < 60; trial++) {
      const dtype = pick(rng, ['float32', 'int32'] as const);
      const shape = randomShape(rng, 1 + Math.floor(rng.next() * 3));
      const axis = Math.floor(rng.next() * shape.length);
      const parts = Array.from({ length: 1 + Math.floor(rng.next() * 3) }, () => randomPair(rng, shape.map((d, i) => (i === axis ? Math.floor(rng.next() * 3) : d)), dtype));
      const given = rng.next() < 0.5 ? axis - shape.length : axis;
      expectSameAsTfjs(concat(parts.map((p) => p.km), given), tf.concat(parts.map((p) => p.tf), given), `concat axis ${given} of ${parts.map((p) => `[${p.km.shape.join(', ')}]`).join(' ')}`);
      const same = parts.map(() => randomPair(rng, shape, dtype));
      const at = Math.floor(rng.next() * (2 * shape.length + 2)) - shape.length - 1;
      expectSameAsTfjs(stack(same.map((p) => p.km), at), tf.stack(same.map((p) => p.tf), at), `stack ${same.length} [${shape.join(', ')}] axis ${at}`);
    }
    const [a, b] = [pairOf(Float32Array.of(1, 2), [2]), pairOf(Float32Array.of(3, 4), [2])];
    expectSameAsTfjs(a.km.concat(b.km), tf.concat([a.tf, b.tf]), 't.concat(x)');
    expectSameAsTfjs(a.km.stack([b.km], 1), tf.stack([a.tf, b.tf], 1), 't.stack([x], 1)');
  });

  it('topk: the k largest of each last-axis row and their indices, lower index first on ties', () => {
    const rng = new Random(24);
    for (let trial = 0; trial < 60; trial++) {
      const dtype = pick(rng, ['float32', 'int32'] as const);
      const x = randomPair(rng, randomShape(rng, 1 + Math.floor(rng.next() * 3), 6), dtype, 2);
      const k = Math.floor(rng.next() * (x.km.shape[x.km.rank - 1] + 1));
      const ours = topk(x.km, k);
      const theirs = tf.topk(x.tf, k);
      const what = `topk ${dtype} [${x.km.shape.join(', ')}] k ${k}`;
      expectSameAsTfjs(ours.values, theirs.values, `${what} values`);
      expectSameAsTfjs(ours.indices, theirs.indices, `${what} indices`);
    }
    const probs = tensor([[0.1, 0.6, 0.3]]);
    expect(probs.topk().indices.arraySync()).toEqual([[1]]);
  });
});

describe('shape op errors name the problem and the fix', () => {
  it('refuses what tfjs refuses, and what it gets silently wrong', () => {
    expect(() => squeeze(zeros([2, 1, 3]), [0])).toThrow('km.squeeze(): axis 0 of shape [2, 1, 3] has size 2, and only axes of size 1 can be squeezed. Leave it out of axis, or use reshape.');
    expect(() => expandDims(zeros([2]), 2)).toThrow('km.expandDims(): axis 2 is out of range for shape [2]: use an integer from -2 to 1 (negative counts from the last axis).');
    expect(() => transpose(zeros([2, 3]), [1, 1])).toThrow('km.transpose(): perm [1,1] is not an order of the 2 axes of shape [2, 3]: list each axis from 0 to 1 once, e.g. [1, 0].');
    expect(() => cast(zeros([1]), 'bool' as never)).toThrow(/km\.cast\(\): dtype must be 'float32' or 'int32'.*For a mask, use 'int32' with 0 and 1\./);
    expect(() => concat([zeros([2, 3]), zeros([2, 2])], 0)).toThrow("km.concat(): tensors[1] has shape [2, 2], which does not fit tensors[0]'s [2, 3] along axis 0: all tensors need the same rank and the same sizes on every axis but 0. Reshape them, or pick another axis.");
    // tfjs concatenates these as int32, truncating 0.5 to 0.
    expect(() => concat([zeros([1], 'int32'), tensor([0.5])])).toThrow("km.concat(): tensors[0] is int32 but tensors[1] is float32; all tensors must have one dtype. Cast them first, e.g. km.cast(t, 'float32').");
    expect(() => stack([zeros([2]), zeros([2], 'int32')])).toThrow(/km\.stack\(\): tensors\[0\] is float32 but tensors\[1\] is int32/);
    expect(() => stack([zeros([2]), zeros([3])])).toThrow('km.stack(): tensors[1] has shape [3] but tensors[0] has [2]; stacked tensors must all have one shape. Reshape or pad them first.');
    expect(() => concat([])).toThrow('km.concat(): pass a non-empty array of tensors, e.g. km.concat([a, b]); received an empty array.');
    expect(() => topk(zeros([2, 3]), 4)).toThrow('km.topk(): k=4 must be an integer from 0 to 3, the size of the last axis of shape [2, 3]. Use a smaller k, or transpose the axis to pick along to the end.');
    expect(() => topk(tensor(1))).toThrow(/km\.topk\(\) takes a tensor of rank 1 or more/);
  });
});
