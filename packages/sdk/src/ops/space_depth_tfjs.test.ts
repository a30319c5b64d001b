// km.spaceToBatchND, km.batchToSpaceND and km.depthToSpace against tfjs-core 4.22 (CPU backend):
// values, shapes and dtypes on random shapes with odd sizes, gradients (against tf.grads; for
// depthToSpace, which tfjs cannot differentiate, against a float64 reference), and their errors.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import * as kmIndex from '../index.js';
import { expectSameAsTfjs, expectSameGradients, pick, randomPair, randomShape } from '../testing/tfjs_op_parity.js';
import { expectSelectionGradient } from '../testing/selection_gradient.js';
import { Random } from '../utils/random.js';
import * as km from './index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const int = (rng: Random, low: number, high: number): number => low + Math.floor(rng.next() * (high - low + 1));

/** x's shape, a block shape and paddings that make each padded spatial axis a multiple of its block. */
function randomSpaceToBatch(rng: Random, spatialAxes: number): { shape: number[]; blockShape: number[]; paddings: [number, number][] } {
  const blockShape = Array.from({ length: spatialAxes }, () => int(rng, 1, 3));
  const paddings: [number, number][] = [];
  const spatial = blockShape.map((b) => {
    const padded = b * int(rng, 1, 3);
    const dim = int(rng, 1, padded);
    const before = int(rng, 0, padded - dim);
    paddings.push([before, padded - dim - before]);
    return dim;
  });
  return { shape: [int(rng, 1, 3), ...spatial, ...randomShape(rng, int(rng, 0, 2), 3)], blockShape, paddings };
}

describe('km.spaceToBatchND and km.batchToSpaceND match tfjs', () => {
  it('spaceToBatchND: values, dtypes and gradients (batchToSpaceND of dy) over random shapes', () => {
    const rng = new Random(21);
    for (let trial = 0; trial < 120; trial++) {
      const { shape, blockShape, paddings } = randomSpaceToBatch(rng, int(rng, 0, 3));
      const x = randomPair(rng, shape, pick(rng, ['float32', 'int32'] as const));
      const what = `[${shape.join(', ')}] ${x.km.dtype} blocks ${JSON.stringify(blockShape)} paddings ${JSON.stringify(paddings)}`;
      expectSameAsTfjs(km.spaceToBatchND(x.km, blockShape, paddings), tf.spaceToBatchND(x.tf, blockShape, paddings), what);
      // tfjs' gradient for an empty blockShape calls its batchToSpaceND, which throws on one.
      if (x.km.dtype === 'float32' && blockShape.length > 0) expectSameGradients(rng, { km: (a) => km.spaceToBatchND(a, blockShape, paddings), tf: (a) => tf.spaceToBatchND(a, blockShape, paddings) }, [x], what);
    }
  });

  it('batchToSpaceND: values, dtypes and gradients (spaceToBatchND of dy) over random shapes and crops', () => {
    const rng = new Random(22);
    for (let trial = 0; trial < 120; trial++) {
      const blockShape = Array.from({ length: int(rng, 1, 3) }, () => int(rng, 1, 3));
      const spatial = blockShape.map(() => int(rng, 1, 3));
      const crops = spatial.map((s, k): [number, number] => {
        const total = int(rng, 0, s * blockShape[k] - 1);
        const before = int(rng, 0, total);
        return [before, total - before];
      });
      const shape = [int(rng, 1, 2) * blockShape.reduce((a, b) => a * b, 1), ...spatial, ...randomShape(rng, int(rng, 0, 2), 3)];
      const x = randomPair(rng, shape, pick(rng, ['float32', 'int32'] as const));
      const what = `[${shape.join(', ')}] ${x.km.dtype} blocks ${JSON.stringify(blockShape)} crops ${JSON.stringify(crops)}`;
      expectSameAsTfjs(km.batchToSpaceND(x.km, blockShape, crops), tf.batchToSpaceND(x.tf, blockShape, crops), what);
      if (x.km.dtype === 'float32') expectSameGradients(rng, { km: (a) => km.batchToSpaceND(a, blockShape, crops), tf: (a) => tf.batchToSpaceND(a, blockShape, crops) }, [x], what);
    }
  });

  it('are inverses, km.xxx and tensor methods', () => {
    const x = kmIndex.tensor(Array.from({ length: 24 }, (_, i) => i), [2, 3, 4, 1]);
    const blocks = x.spaceToBatchND([2, 2], [[0, 1], [0, 0]]);
    expect(blocks.shape).toEqual([8, 2, 2, 1]);
    expect(kmIndex.batchToSpaceND(blocks, [2, 2], [[0, 1], [0, 0]]).arraySync()).toEqual(x.arraySync());
    expect(blocks.batchToSpaceND([2, 2], [[0, 1], [0, 0]]).arraySync()).toEqual(kmIndex.spaceToBatchND(x, [2, 2], [[0, 1], [0, 0]]).batchToSpaceND([2, 2], [[0, 1], [0, 0]]).arraySync());
    // No block axes leave x as it is (tfjs' batchToSpaceND throws on an empty blockShape).
    expect(km.batchToSpaceND(x, [], []).arraySync()).toEqual(x.arraySync());
    expect(km.grad((a) => km.spaceToBatchND(a, [], []))(x, x.mul(3)).arraySync()).toEqual(x.mul(3).arraySync());
  });

  it('name each bad input and the fix', () => {
    const x = kmIndex.zeros([1, 3, 4, 1]);
    expect(() => km.spaceToBatchND(x, [2, 2], [[0, 0], [0, 0]])).toThrow(
      'km.spaceToBatchND(): spatial axis 1 has 3 entries, 3 with paddings [0, 0], which is not a multiple of its block size 2. Pad it to a multiple of 2. Received: x.shape=[1, 3, 4, 1], blockShape=[2,2], paddings=[[0,0],[0,0]].',
    );
    expect(() => km.spaceToBatchND(x, [2, 2], [[0, 1]])).toThrow('km.spaceToBatchND(): paddings must hold one [before, after] pair of non-negative integers per entry of blockShape, e.g. [[0, 0], [0, 0]].');
    expect(() => km.spaceToBatchND(x, [2, 0], [[0, 1], [0, 0]])).toThrow('km.spaceToBatchND(): blockShape must list a positive integer block size per spatial axis, e.g. [2, 2].');
    expect(() => km.spaceToBatchND(kmIndex.zeros([4, 4]), [2, 2], [[0, 0], [0, 0]])).toThrow('km.spaceToBatchND(): x needs a batch axis and then one spatial axis per entry of blockShape, so rank at least 3. Reshape x, or give fewer block sizes.');
    expect(() => km.batchToSpaceND(kmIndex.zeros([3, 2, 2, 1]), [2, 2], [[0, 0], [0, 0]])).toThrow(
      'km.batchToSpaceND(): the batch axis has 3 entries, which is not a multiple of the 4 positions of a block (2 × 2). Use a batch made by spaceToBatchND with this blockShape. Received: x.shape=[3, 2, 2, 1], blockShape=[2,2], crops=[[0,0],[0,0]].',
    );
    expect(() => km.batchToSpaceND(kmIndex.zeros([4, 1, 3, 1]), [2, 2], [[0, 3], [0, 0]])).toThrow('km.batchToSpaceND(): crops[0] = [0, 3] cuts more than the 2 entries spatial axis 1 has once the blocks are laid out. Crop less.');
  });
});

/** tfjs' NCHW depthToSpace (which its CPU backend lacks), as its NHWC one between transposes. */
const tfDepthToSpaceNCHW = (x: tf.Tensor, s: number): tf.Tensor => tf.transpose(tf.depthToSpace(tf.transpose(x, [0, 2, 3, 1]) as tf.Tensor4D, s), [0, 3, 1, 2]);

describe('km.depthToSpace matches tf.depthToSpace', () => {
  it('NHWC float32: values and a gradient (tfjs has none) that undoes the rearrangement, over random shapes', () => {
    const rng = new Random(23);
    for (let trial = 0; trial < 80; trial++) {
      const s = int(rng, 2, 3);
      const x = randomPair(rng, [int(rng, 1, 2), int(rng, 1, 3), int(rng, 1, 3), s * s * int(rng, 1, 3)], 'float32');
      const what = `[${x.km.shape.join(', ')}] block ${s}`;
      expectSameAsTfjs(km.depthToSpace(x.km, s), tf.depthToSpace(x.tf as tf.Tensor4D, s), what);
      expectSelectionGradient(rng, (a) => km.depthToSpace(a, s), (a) => tf.depthToSpace(a as tf.Tensor4D, s), x, what);
    }
    expect(() => tf.grad((a: tf.Tensor) => tf.depthToSpace(a as tf.Tensor4D, 2))(tf.zeros([1, 1, 1, 4]))).toThrow('gradient function not found for DepthToSpace');
  });

  it('NCHW and int32, which tfjs\' CPU backend refuses, as tfjs\' NHWC float32 op rearranges them', () => {
    const rng = new Random(24);
    for (let trial = 0; trial < 40; trial++) {
      const s = int(rng, 2, 3);
      const x = randomPair(rng, [int(rng, 1, 2), s * s * int(rng, 1, 3), int(rng, 1, 3), int(rng, 1, 3)], pick(rng, ['float32', 'int32'] as const), 100);
      const asFloat = tf.cast(x.tf, 'float32');
      expectSameAsTfjs(km.depthToSpace(x.km, s, 'NCHW'), tf.cast(tfDepthToSpaceNCHW(asFloat, s), x.km.dtype), `NCHW [${x.km.shape.join(', ')}] ${x.km.dtype}`);
      const nhwc = km.transpose(x.km, [0, 2, 3, 1]);
      expectSameAsTfjs(km.depthToSpace(nhwc, s), tf.cast(tf.depthToSpace(tf.transpose(asFloat, [0, 2, 3, 1]) as tf.Tensor4D, s), x.km.dtype), `NHWC [${nhwc.shape.join(', ')}] ${x.km.dtype}`);
      if (x.km.dtype === 'float32') expectSelectionGradient(rng, (a) => km.depthToSpace(a, s, 'NCHW'), (a) => tfDepthToSpaceNCHW(a, s), x, `NCHW gradient [${x.km.shape.join(', ')}]`);
    }
    expect(() => tf.depthToSpace(tf.zeros([1, 1, 1, 4], 'int32') as tf.Tensor4D, 2)).toThrow('must be float32');
  });

  it('is km.depthToSpace and a tensor method, and names each bad input', () => {
    const x = kmIndex.tensor([1, 2, 3, 4], [1, 1, 1, 4]);
    expect(kmIndex.depthToSpace(x, 2).arraySync()).toEqual([[[[1], [2]], [[3], [4]]]]);
    expect(x.depthToSpace(2, 'NHWC').shape).toEqual([1, 2, 2, 1]);
    expect(() => km.depthToSpace(kmIndex.zeros([1, 2, 2, 6]), 2)).toThrow(
      "km.depthToSpace(): x has 6 channels, which is not a multiple of blockSize² = 4: each block of 2×2 pixels takes 4 channels' worth. Pick a blockSize that fits, or pad the channels. Received: x.shape=[1, 2, 2, 6], dataFormat='NHWC'.",
    );
    expect(() => km.depthToSpace(kmIndex.zeros([2, 2, 4]), 2)).toThrow('km.depthToSpace() rearranges a batch of images, a tensor of rank 4 (NHWC). Add a batch axis with expandDims, or reshape. Received: x.shape=[2, 2, 4].');
    expect(() => km.depthToSpace(x, 1)).toThrow('km.depthToSpace(): blockSize must be an integer of at least 2 (the side of each block). Received: blockSize=1.');
    expect(() => km.depthToSpace(x, 2, 'NWHC' as 'NHWC')).toThrow("km.depthToSpace(): dataFormat must be 'NHWC' (channels last) or 'NCHW' (channels first). Received: dataFormat=\"NWHC\".");
  });
});
