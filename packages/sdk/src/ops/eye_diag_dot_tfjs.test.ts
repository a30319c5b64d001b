// km.eye, diag, dot, outerProduct, meshgrid and ensureShape against tfjs-core 4.22 (CPU backend):
// values, shapes and dtypes, gradients (against tf.grads; diag's, which tfjs lacks, against a
// float64 reference), and their errors.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import * as kmIndex from '../index.js';
import { expectSameAsTfjs, expectSameGradients, pairOf, pick, randomPair, randomShape } from '../testing/tfjs_op_parity.js';
import { expectSelectionGradient } from '../testing/selection_gradient.js';
import { Random } from '../utils/random.js';
import * as km from './index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const int = (rng: Random, low: number, high: number): number => low + Math.floor(rng.next() * (high - low + 1));

describe('km.eye and km.diag match tfjs', () => {
  it('eye: every size, batch shapes of 0 to 3 axes, both dtypes', () => {
    const rng = new Random(31);
    for (let trial = 0; trial < 100; trial++) {
      const rows = int(rng, 0, 4);
      const columns = rng.next() < 0.3 ? undefined : int(rng, 0, 4);
      const batchShape = rng.next() < 0.3 ? undefined : (randomShape(rng, int(rng, 1, 3), 3) as [number]);
      const dtype = pick(rng, ['float32', 'int32'] as const);
      expectSameAsTfjs(km.eye(rows, columns, batchShape, dtype), tf.eye(rows, columns, batchShape, dtype), `eye(${rows}, ${columns}, ${JSON.stringify(batchShape)}, ${dtype})`);
    }
    expectSameAsTfjs(km.eye(3), tf.eye(3), 'default float32');
  });

  it('eye: any number of batch axes (tfjs takes 3 at most), and errors naming the bad argument', () => {
    const batched = km.eye(2, 3, [2, 1, 2, 1]);
    expect(batched.shape).toEqual([2, 1, 2, 1, 2, 3]);
    const one = [[1, 0, 0], [0, 1, 0]];
    expect(batched.reshape([4, 2, 3]).arraySync()).toEqual([one, one, one, one]);
    expect(() => tf.eye(2, 3, [2, 1, 2, 1] as unknown as [number])).toThrow('only 1D and 2D batchShapes');
    expect(kmIndex.eye(2, undefined, undefined, 'int32').dtype).toBe('int32');
    expect(() => km.eye(-1)).toThrow('km.eye(): numRows, numColumns and the batchShape dimensions must be non-negative integers, e.g. km.eye(3) or km.eye(2, 3, [4]). Received: numRows=-1, numColumns=undefined, batchShape=undefined.');
    expect(() => km.eye(2, 2.5)).toThrow('Received: numRows=2, numColumns=2.5');
    expect(() => km.eye(2, 2, [1, -2])).toThrow('batchShape=[1,-2]');
    expect(() => km.eye(2, 2, undefined, 'bool' as 'int32')).toThrow('km.eye()');
  });

  it('diag: values of any rank and dtype, and a gradient (tfjs has none) that reads dy\'s diagonal', () => {
    const rng = new Random(32);
    for (let trial = 0; trial < 60; trial++) {
      const x = randomPair(rng, randomShape(rng, int(rng, 0, 3), 3), pick(rng, ['float32', 'int32'] as const));
      expectSameAsTfjs(km.diag(x.km), tf.diag(x.tf), `diag [${x.km.shape.join(', ')}] ${x.km.dtype}`);
      if (x.km.dtype === 'float32') expectSelectionGradient(rng, km.diag, tf.diag, x, `diag gradient [${x.km.shape.join(', ')}]`);
    }
    const special = pairOf(Float32Array.of(-0, NaN, Infinity), [3]);
    expectSameAsTfjs(km.diag(special.km), tf.diag(special.tf), 'special values');
    expect(() => tf.grad(tf.diag)(tf.ones([2]))).toThrow('gradient function not found for Diag');
    expect(kmIndex.diag([1, 2]).arraySync()).toEqual([[1, 0], [0, 2]]);
  });
});

describe('km.dot and km.outerProduct match tfjs', () => {
  it('dot: vectors and matrices in every pairing, values and gradients', () => {
    const rng = new Random(33);
    for (let trial = 0; trial < 80; trial++) {
      const [m, k, n] = [int(rng, 1, 6), int(rng, 1, 7), int(rng, 1, 6)];
      const a = randomPair(rng, rng.next() < 0.5 ? [k] : [m, k], 'float32');
      const b = randomPair(rng, rng.next() < 0.5 ? [k] : [k, n], 'float32');
      const what = `dot [${a.km.shape.join(', ')}]·[${b.km.shape.join(', ')}]`;
      expectSameAsTfjs(km.dot(a.km, b.km), tf.dot(a.tf, b.tf), what);
      expectSameGradients(rng, { km: km.dot, tf: tf.dot }, [a, b], what);
    }
    expect(kmIndex.tensor([1, 2]).dot([[1, 2], [3, 4]]).arraySync()).toEqual([7, 10]);
  });

  it('outerProduct: values and gradients', () => {
    const rng = new Random(34);
    for (let trial = 0; trial < 40; trial++) {
      const a = randomPair(rng, [int(rng, 1, 7)], 'float32');
      const b = randomPair(rng, [int(rng, 1, 7)], 'float32');
      const what = `outerProduct [${a.km.shape}]·[${b.km.shape}]`;
      expectSameAsTfjs(km.outerProduct(a.km, b.km), tf.outerProduct(a.tf as tf.Tensor1D, b.tf as tf.Tensor1D), what);
      expectSameGradients(rng, { km: km.outerProduct, tf: (x, y) => tf.outerProduct(x as tf.Tensor1D, y as tf.Tensor1D) }, [a, b], what);
    }
    expect(kmIndex.outerProduct([1, 2], [3, 4, 5]).arraySync()).toEqual([[3, 4, 5], [6, 8, 10]]);
  });

  it('name bad ranks, sizes and dtypes', () => {
    const v = kmIndex.zeros([3]);
    expect(() => km.dot(kmIndex.zeros([2, 3, 4]), v)).toThrow('km.dot() multiplies vectors (rank 1) and matrices (rank 2). Use km.matMul for stacks of matrices, or reshape. Received: t1.shape=[2, 3, 4], t2.shape=[3].');
    expect(() => km.dot(kmIndex.zeros([2, 4]), v)).toThrow("km.dot(): t1's last axis (4) must equal t2's first (3), the entries multiplied pairwise. Transpose or reshape one of them. Received: t1.shape=[2, 4], t2.shape=[3].");
    expect(() => km.dot(kmIndex.zeros([3], 'int32'), v)).toThrow("km.dot() multiplies float32 tensors, as km.matMul does (tfjs also multiplies int32 ones). Cast an int32 one first: km.cast(t, 'float32'). Received: t1.dtype='int32', t2.dtype='float32'.");
    expect(() => km.outerProduct(kmIndex.zeros([1, 3]), v)).toThrow('km.outerProduct() multiplies two vectors (rank 1). Flatten them first with reshape([-1]), or use km.matMul for matrices. Received: v1.shape=[1, 3], v2.shape=[3].');
  });
});

describe('km.meshgrid and km.ensureShape match tfjs', () => {
  it('meshgrid: both indexings, inputs of any shape and dtype, values and gradients', () => {
    const rng = new Random(35);
    for (let trial = 0; trial < 60; trial++) {
      const indexing = pick(rng, ['xy', 'ij'] as const);
      const x = randomPair(rng, randomShape(rng, int(rng, 0, 2), 4), pick(rng, ['float32', 'int32'] as const));
      const y = randomPair(rng, randomShape(rng, int(rng, 0, 2), 4), pick(rng, ['float32', 'int32'] as const));
      const what = `meshgrid ${indexing} [${x.km.shape}] ${x.km.dtype}, [${y.km.shape}] ${y.km.dtype}`;
      const ours = km.meshgrid(x.km, y.km, { indexing });
      const theirs = tf.meshgrid(x.tf, y.tf, { indexing });
      expect(ours.length).toBe(2);
      ours.forEach((g, i) => expectSameAsTfjs(g, theirs[i], `${what}: grid ${i}`));
      if (x.km.dtype === 'float32' && y.km.dtype === 'float32') {
        const twin = { km: (a: kmIndex.Tensor, b: kmIndex.Tensor) => km.add(...(km.meshgrid(a, b, { indexing }) as [kmIndex.Tensor, kmIndex.Tensor])), tf: (a: tf.Tensor, b: tf.Tensor) => tf.add(...(tf.meshgrid(a, b, { indexing }) as [tf.Tensor, tf.Tensor])) };
        expectSameGradients(rng, twin, [x, y], what);
      }
    }
  });

  it('meshgrid: fewer inputs, -0 kept (tfjs\' product with ones makes it 0), a bad indexing named', () => {
    expect(km.meshgrid()).toEqual([]);
    const x = kmIndex.tensor([1, 2]);
    expect(km.meshgrid(x)).toEqual([x]);
    const [X] = kmIndex.meshgrid([-0, 1], [5]);
    expect(Object.is(X.dataSync()[0], -0)).toBe(true);
    expect(Object.is(tf.meshgrid(tf.tensor1d([-0, 1]), tf.tensor1d([5]))[0].dataSync()[0], 0)).toBe(true);
    expect(() => km.meshgrid(x, x, { indexing: 'yx' as 'xy' })).toThrow("km.meshgrid(): indexing must be 'xy' (Cartesian: grids of [y.size, x.size]) or 'ij' (matrix: [x.size, y.size]). Received: indexing=\"yx\".");
  });

  it('ensureShape: passes x itself where tfjs passes, throws where tfjs throws', () => {
    const rng = new Random(36);
    for (let trial = 0; trial < 100; trial++) {
      const x = randomPair(rng, randomShape(rng, int(rng, 0, 3), 3), 'float32');
      const expected = x.km.shape.map((d) => (rng.next() < 0.3 ? null : rng.next() < 0.8 ? d : d + 1));
      if (rng.next() < 0.15) expected.push(rng.next() < 0.5 ? null : 1);
      let tfjsThrows = false;
      try {
        tf.ensureShape(x.tf, expected as number[]); // tfjs types no nulls but takes them
      } catch {
        tfjsThrows = true;
      }
      const what = `[${x.km.shape}] against ${JSON.stringify(expected)}`;
      if (tfjsThrows) expect(() => km.ensureShape(x.km, expected), what).toThrow('km.ensureShape(): x has shape');
      else expect(km.ensureShape(x.km, expected), what).toBe(x.km);
    }
    expect(() => kmIndex.ensureShape(kmIndex.zeros([2, 3]), [null, 4])).toThrow('km.ensureShape(): x has shape [2, 3], which does not fit the expected [null, 4] (null: any size): axis 1 differs. Reshape x, or fix the expected shape. Received: x.shape=[2, 3].');
    expect(() => kmIndex.ensureShape(kmIndex.zeros([2, 3]), [2])).toThrow('which does not fit the expected [2] (null: any size): it has rank 2, not 1.');
    expect(() => kmIndex.ensureShape(kmIndex.zeros([2]), [-1])).toThrow('km.ensureShape(): shape must list a non-negative integer, or null for any size, per axis, e.g. [null, 28, 28, 1]. Received: shape=[-1].');
  });
});
