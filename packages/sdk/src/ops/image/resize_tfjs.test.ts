// km.image.resizeBilinear and resizeNearestNeighbor against tfjs-core 4.22 (CPU backend): values to
// the bit for every option, odd sizes, up and down; gradients against tf.grads where tfjs' are right,
// and against the transpose of the resampling matrix (built from the forward op) everywhere.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import * as sdk from '../../index.js';
import { Tensor } from '../../tensor.js';
import { expectSameAsTfjs, expectSameGradients, pairOf, randomPair } from '../../testing/tfjs_op_parity.js';
import { Random } from '../../utils/random.js';
import { valueAndGrad } from '../gradients.js';
import { resizeBilinear, resizeNearestNeighbor } from './resize.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const OPTIONS: readonly [boolean, boolean][] = [[false, false], [true, false], [false, true]];
const kmOps = { bilinear: resizeBilinear, nearest: resizeNearestNeighbor } as const;
const tfOps = { bilinear: tf.image.resizeBilinear, nearest: tf.image.resizeNearestNeighbor } as const;

/** [inH, inW, outH, outW]: odd sizes, up and down, to and from 1. */
const SIZES: readonly [number, number, number, number][] = [[5, 7, 3, 4], [3, 5, 7, 9], [1, 1, 3, 2], [4, 6, 1, 1], [6, 6, 11, 11], [7, 3, 7, 3], [2, 9, 5, 2]];

/** The resampling's matrix [out, in], column i the op applied to the i-th unit image, in float64. */
function matrixOf(f: (x: Tensor) => Tensor, inShape: number[]): { m: Float64Array[]; outSize: number } {
  const n = inShape.reduce((a, b) => a * b, 1);
  const columns: Float32Array[] = [];
  for (let i = 0; i < n; i++) {
    const unit = new Float32Array(n);
    unit[i] = 1;
    columns.push(f(new Tensor(unit, inShape, 'float32')).dataSync() as Float32Array);
  }
  const outSize = columns[0].length;
  return { m: Array.from({ length: outSize }, (_, o) => Float64Array.from(columns, (c) => c[o])), outSize };
}

describe('km.image.resizeBilinear / resizeNearestNeighbor match tfjs-core 4.22', () => {
  it('values and dtypes for every option, size, rank 3 and 4, float32 and int32', () => {
    const rng = new Random(7);
    for (const mode of ['bilinear', 'nearest'] as const) {
      for (const [align, half] of OPTIONS) {
        for (const [h, w, oh, ow] of SIZES) {
          for (const shape of [[2, h, w, 3], [h, w, 1]]) {
            for (const dtype of ['float32', 'int32'] as const) {
              const x = randomPair(rng, shape, dtype, 9);
              const what = `${mode} align=${align} half=${half} [${shape}] -> [${oh}, ${ow}] ${dtype}`;
              expectSameAsTfjs(kmOps[mode](x.km, [oh, ow], align, half), tfOps[mode](x.tf as tf.Tensor4D, [oh, ow], align, half), what);
            }
          }
        }
      }
    }
  });

  it('special values pass through as in tfjs (NaN, ±Infinity, -0)', () => {
    const values = Float32Array.from([0, -0, NaN, Infinity, -Infinity, 1.5, -2, 3, 0.25, 7, -1e30, 1e30]);
    const x = pairOf(values, [1, 3, 4, 1]);
    for (const mode of ['bilinear', 'nearest'] as const) {
      for (const [align, half] of OPTIONS) expectSameAsTfjs(kmOps[mode](x.km, [5, 3], align, half), tfOps[mode](x.tf as tf.Tensor4D, [5, 3], align, half), `${mode} ${align} ${half}`);
    }
  });

  it('gradients equal tf.grads where tfjs computes them right (square images, no half-pixel centres; one image for nearest)', () => {
    const rng = new Random(8);
    for (const [align] of OPTIONS.filter(([, half]) => !half)) {
      for (const [n, out] of [[5, 3], [3, 7], [4, 4], [1, 3]]) {
        // tfjs' nearest gradient never returns when alignCorners maps a 1-pixel axis (its search
        // window is infinite); the transpose test below covers that case.
        if (align && n === 1) continue;
        const x = randomPair(rng, [2, n, n, 2], 'float32', 3);
        const size: [number, number] = [out, out + 1];
        expectSameGradients(rng, { km: (a) => resizeBilinear(a, size, align), tf: (a) => tf.image.resizeBilinear(a as tf.Tensor4D, size, align) }, [x], `bilinear align=${align} ${n} -> ${size}`);
        const one = randomPair(rng, [1, n, n + 2, 2], 'float32', 3);
        expectSameGradients(rng, { km: (a) => resizeNearestNeighbor(a, size, align), tf: (a) => tf.image.resizeNearestNeighbor(a as tf.Tensor4D, size, align) }, [one], `nearest align=${align} ${n} -> ${size}`);
      }
    }
  });

  it('gradients are the transpose of the resampling for every option, batch and shape (where tfjs is wrong too)', () => {
    const rng = new Random(9);
    for (const mode of ['bilinear', 'nearest'] as const) {
      for (const [align, half] of OPTIONS) {
        for (const [h, w, oh, ow] of SIZES) {
          const shape = [2, h, w, 2];
          const f = (a: Tensor) => kmOps[mode](a, [oh, ow], align, half) as Tensor;
          const { m, outSize } = matrixOf(f, shape);
          const dy = randomPair(rng, [2, oh, ow, 2], 'float32', 2);
          const x = randomPair(rng, shape, 'float32', 2);
          const g = valueAndGrad(f)(x.km, dy.km).grad.dataSync();
          const dyValues = dy.km.dataSync();
          const expected = Array.from({ length: g.length }, (_, i) => { let s = 0; for (let o = 0; o < outSize; o++) s += m[o][i] * dyValues[o]; return s; });
          Array.from(g).forEach((v, i) => expect(Math.abs(v - expected[i]), `${mode} ${align} ${half} [${shape}] -> [${oh}, ${ow}] element ${i}`).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(expected[i]))));
        }
      }
    }
  });

  it('tfjs\' bilinear gradient fails for a non-square image, which kerasm differentiates', () => {
    const x = tf.ones([1, 2, 4, 1]);
    expect(() => tf.grad((a: tf.Tensor) => tf.image.resizeBilinear(a as tf.Tensor4D, [3, 3]))(x)).toThrow();
    expect(valueAndGrad((a) => resizeBilinear(a, [3, 3]))(new Tensor(new Float32Array(8).fill(1), [1, 2, 4, 1], 'float32')).grad.shape).toEqual([1, 2, 4, 1]);
  });

  it('bad input names the problem and the fix', () => {
    const x = new Tensor(new Float32Array(12), [2, 2, 3], 'float32');
    expect(() => resizeBilinear(new Tensor(new Float32Array(4), [2, 2], 'float32'), [2, 2])).toThrow(/images must be a \[height, width, channels\] image or a \[batch, height, width, channels\] batch\. Received: images\.shape=\[2, 2\] \(rank 2\)/);
    expect(() => resizeBilinear(x, [-1, 2])).toThrow(/size must be \[height, width\], two positive integers.*Received: size=\[-1,2\]/);
    expect(() => resizeNearestNeighbor(x, [2.5, 2])).toThrow(/size must be/);
    expect(() => resizeNearestNeighbor(x, [2] as unknown as [number, number])).toThrow(/Received: size=\[2\]/);
    expect(() => resizeBilinear(x, [4, 4], true, true)).toThrow(/alignCorners and halfPixelCenters cannot both be true.*Set one of them to false/);
    expect(() => resizeBilinear(x, [4, 4], 'yes' as unknown as boolean)).toThrow(/alignCorners must be true or false. Received: alignCorners="yes"/);
  });

  it('is km.image.resizeBilinear from the package entry', () => {
    expect(sdk.image.resizeBilinear).toBe(resizeBilinear);
    expect(sdk.image.resizeNearestNeighbor).toBe(resizeNearestNeighbor);
  });
});
