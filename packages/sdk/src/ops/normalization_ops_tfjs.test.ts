// batchNorm (and its 2d/3d/4d aliases), localResponseNormalization and movingAverage against
// tfjs-core 4.22 (CPU backend): values and gradients against tf.grads, to the bit; batchNorm's
// broadcasting beyond tfjs' (which repeats parameters cyclically) against a float64 naive loop, and
// its gradients without offset or scale (where tfjs' throw) against its own with 0 and 1 given.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import * as kmPublic from '../index.js';
import { tensor, type Tensor } from '../tensor.js';
import { expectSameAsTfjs, expectSameGradients, pairOf, randomShape, uniformPair, type Pair, type Twin } from '../testing/tfjs_op_parity.js';
import { Random } from '../utils/random.js';
import * as km from './index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('batchNorm matches tfjs-core 4.22', () => {
  it('values and gradients of all inputs, per-channel or full-shape parameters, with and without offset and scale', () => {
    const rng = new Random(81);
    for (let trial = 0; trial < 40; trial++) {
      const shape = randomShape(rng, 1 + Math.floor(rng.next() * 4), 4);
      const paramShape = rng.next() < 0.7 ? [shape[shape.length - 1]] : shape;
      const x = uniformPair(rng, shape, -3, 3);
      const mean = uniformPair(rng, paramShape, -1, 1);
      const variance = uniformPair(rng, paramShape, 0, 2);
      const [withOffset, withScale] = [rng.next() < 0.6, rng.next() < 0.6];
      const epsilon = rng.next() < 0.5 ? undefined : 0.1;
      const args: Pair[] = [x, mean, variance];
      if (withOffset) args.push(uniformPair(rng, paramShape, -1, 1));
      if (withScale) args.push(uniformPair(rng, paramShape, 0.5, 2));
      const pick = <T>(xs: T[]): [T, T, T, T | undefined, T | undefined] => [xs[0], xs[1], xs[2], withOffset ? xs[3] : undefined, withScale ? xs[withOffset ? 4 : 3] : undefined];
      const twin: Twin = {
        km: (...ts) => { const [a, m, v, o, s] = pick(ts); return km.batchNorm(a, m, v, o, s, epsilon); },
        tf: (...ts) => { const [a, m, v, o, s] = pick(ts); return tf.batchNorm(a, m, v, o, s, epsilon); },
      };
      const what = `batchNorm [${shape.join(', ')}] params [${paramShape.join(', ')}] offset ${withOffset} scale ${withScale} epsilon ${epsilon}`;
      expectSameAsTfjs(twin.km(...args.map((a) => a.km as Tensor<'float32'>)), twin.tf(...args.map((a) => a.tf)), what);
      if (withOffset && withScale) {
        expectSameGradients(rng, twin, args, what);
      } else {
        // tfjs' gradient throws without both offset and scale; kerasm's equals its own with offset 0 and scale 1 given.
        const full = [x, mean, variance, withOffset ? args[3] : pairOf(new Float32Array(paramShape.reduce((a, b) => a * b, 1)), paramShape), withScale ? args[args.length - 1] : pairOf(new Float32Array(paramShape.reduce((a, b) => a * b, 1)).fill(1), paramShape)];
        const dy = uniformPair(rng, shape, -2, 2).km;
        const ours = km.valueAndGrads((...ts: Tensor[]) => twin.km(...(ts as Tensor<'float32'>[])))(args.map((a) => a.km), dy);
        const reference = km.valueAndGrads((a: Tensor, m: Tensor, v: Tensor, o: Tensor, sc: Tensor) => km.batchNorm(a, m, v, o, sc, epsilon))(full.map((a) => a.km), dy);
        expect(ours.grads.slice(0, 3).map((g) => g.arraySync()), what).toEqual(reference.grads.slice(0, 3).map((g) => g.arraySync()));
        if (withOffset) expect(ours.grads[3].arraySync(), what).toEqual(reference.grads[3].arraySync());
        if (withScale) expect(ours.grads[args.length - 1].arraySync(), what).toEqual(reference.grads[4].arraySync());
        expect(() => tf.grads((...ts: tf.Tensor[]) => twin.tf(...ts))(args.map((a) => a.tf)), what).toThrow();
      }
    }
  });

  it('the aliases check x\'s rank, and match tfjs\' aliases', () => {
    const rng = new Random(82);
    const aliases = [[2, km.batchNorm2d, tf.batchNorm2d], [3, km.batchNorm3d, tf.batchNorm3d], [4, km.batchNorm4d, tf.batchNorm4d]] as const;
    for (const [rank, ours, theirs] of aliases) {
      const shape = randomShape(rng, rank, 4);
      const [x, m, v] = [uniformPair(rng, shape, -2, 2), uniformPair(rng, [shape[rank - 1]], -1, 1), uniformPair(rng, [shape[rank - 1]], 0.1, 2)];
      expectSameAsTfjs(ours(x.km, m.km, v.km), (theirs as typeof tf.batchNorm)(x.tf, m.tf, v.tf), `batchNorm${rank}d`);
      expect(() => ours(km.reshape(x.km, [-1]), m.km, v.km)).toThrow(new RegExp(`km\\.batchNorm${rank}d\\(\\) takes a rank-${rank} x.*Received: x\\.shape=\\[`));
    }
  });

  it('broadcasts any parameter shape against x (tfjs repeats them cyclically): values and gradients against a float64 naive loop', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    const mean = tensor([[0.5], [-1]]); // one per row, which tfjs would misread
    const variance = tensor([2, 0.25, 1]);
    const scale = tensor([[1.5, -1, 0.5]]);
    const dy = tensor([[1, -2, 0.5], [0.25, 1, -1]]);
    const { value, grads } = km.valueAndGrads((a: Tensor, m: Tensor, v: Tensor, s: Tensor) => km.batchNorm(a, m, v, null, s))([x, mean, variance, scale], dy);
    const [xs, ms, vs, ss, dys] = [[[1, 2, 3], [4, 5, 6]], [0.5, -1], [2, 0.25, 1], [1.5, -1, 0.5], [[1, -2, 0.5], [0.25, 1, -1]]];
    const eps = 0.001;
    const expected = xs.map((row, i) => row.map((v, j) => ((v - ms[i]) * ss[j]) / Math.sqrt(vs[j] + eps)));
    expect(value.arraySync()).toEqual(expected.map((row) => row.map(Math.fround)));
    const [gx, gm, gv, gs] = [xs.map((row) => row.map(() => 0)), [0, 0], [0, 0, 0], [0, 0, 0]];
    xs.forEach((row, i) => row.forEach((v, j) => {
      const r = 1 / Math.sqrt(vs[j] + eps);
      gx[i][j] += dys[i][j] * ss[j] * r;
      gm[i] -= dys[i][j] * ss[j] * r;
      gv[j] += dys[i][j] * ss[j] * (v - ms[i]) * -0.5 * r ** 3;
      gs[j] += dys[i][j] * (v - ms[i]) * r;
    }));
    const close = (ours: Tensor, reference: number[], what: string) => Array.from(ours.dataSync()).forEach((o, k) => expect(Math.abs(o - reference[k]), `${what}[${k}]: ${o} against ${reference[k]}`).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(reference[k]))));
    close(grads[0], gx.flat(), 'x');
    close(grads[1], gm, 'mean');
    close(grads[2], gv, 'variance');
    close(grads[3], gs, 'scale');
    expect(grads.map((g) => g.shape)).toEqual([[2, 3], [2, 1], [3], [1, 3]]);
  });

  it('bad input gets clear errors; reachable as km.batchNorm and x.batchNorm()', () => {
    const x = tensor([[1, 2, 3]]);
    expect(() => km.batchNorm(x, tensor([1, 2]), tensor([1, 1, 1]))).toThrow(/km\.batchNorm\(\): shapes \[2\] and \[1, 3\] do not broadcast/);
    expect(() => km.batchNorm(x, tensor([[1], [2]]), tensor([1, 1, 1]))).toThrow(/km\.batchNorm\(\): mean must broadcast to x's shape \[1, 3\].*Received: mean\.shape=\[2, 1\]/);
    expect(() => km.batchNorm(tensor([1, 2], [2], 'int32'), tensor([0]), tensor([1]))).toThrow(/km\.batchNorm\(\) takes a float32 x.*Received: x\.dtype='int32'/);
    expect(() => km.batchNorm(x, tensor([0]), tensor([1]), null, null, -1)).toThrow(/km\.batchNorm\(\): varianceEpsilon must be a number >= 0.*Received: varianceEpsilon=-1/);
    expect(Array.from(x.batchNorm(tensor([2]), tensor([4]), tensor([1]), null, 0).dataSync())).toEqual([0.5, 1, 1.5]);
    for (const name of ['batchNorm', 'batchNorm2d', 'batchNorm3d', 'batchNorm4d'] as const) expect(kmPublic[name], name).toBe(km[name]);
  });
});

describe('localResponseNormalization matches tfjs-core 4.22', () => {
  it('values and gradients for rank 3 and 4 over random radii, biases, alphas and betas', () => {
    const rng = new Random(83);
    for (let trial = 0; trial < 30; trial++) {
      const shape = randomShape(rng, 3 + Math.floor(rng.next() * 2), 4);
      shape[shape.length - 1] = 1 + Math.floor(rng.next() * 9);
      const x = uniformPair(rng, shape, -2, 2);
      const [depthRadius, bias, alpha, beta] = [Math.floor(rng.next() * 4), rng.uniform(0.5, 2), rng.uniform(0.01, 1), rng.uniform(0.25, 1)];
      const what = `localResponseNormalization [${shape.join(', ')}] ${depthRadius} ${bias} ${alpha} ${beta}`;
      const twin: Twin = {
        km: (t) => km.localResponseNormalization(t, depthRadius, bias, alpha, beta),
        tf: (t) => tf.localResponseNormalization(t as tf.Tensor4D, depthRadius, bias, alpha, beta),
      };
      expectSameAsTfjs(twin.km(x.km as Tensor<'float32'>), twin.tf(x.tf), what);
      expectSameGradients(rng, twin, [x], what);
    }
    const x = uniformPair(rng, [2, 3, 3, 12], -2, 2);
    expectSameAsTfjs(km.localResponseNormalization(x.km), tf.localResponseNormalization(x.tf as tf.Tensor4D), 'defaults');
    expectSameAsTfjs(x.km.localResponseNormalization(2), tf.localResponseNormalization(x.tf as tf.Tensor4D, 2), 'as a method');
  });

  it('bad input gets clear errors; reachable as km.localResponseNormalization', () => {
    expect(() => km.localResponseNormalization(tensor([[1, 2]]))).toThrow(/km\.localResponseNormalization\(\): x must be \[height, width, channels\] or \[batch, height, width, channels\]. Received: x\.shape=\[1, 2\]/);
    expect(() => km.localResponseNormalization(km.reshape(tensor([1, 2]), [1, 1, 2]), 1.5)).toThrow(/depthRadius.*must be an integer >= 0. Received: depthRadius=1\.5/);
    expect(() => km.localResponseNormalization(km.reshape(tensor([1, 2]), [1, 1, 2]), 2, NaN)).toThrow(/bias must be a finite number. Received: bias=NaN/);
    expect(() => km.localResponseNormalization(tensor([1, 2], [1, 1, 2], 'int32'))).toThrow(/takes a float32 x.*Received: x\.dtype='int32'/);
    expect(kmPublic.localResponseNormalization).toBe(km.localResponseNormalization);
  });
});

describe('movingAverage matches tfjs-core 4.22', () => {
  it('values and gradients for v and x, zero-debiased or not, decay and step as numbers or scalars', () => {
    const rng = new Random(84);
    for (let trial = 0; trial < 20; trial++) {
      const shape = randomShape(rng, Math.floor(rng.next() * 3), 4);
      const [v, x] = [uniformPair(rng, shape, -2, 2), uniformPair(rng, shape, -2, 2)];
      const decay = Math.fround(rng.uniform(0.5, 0.999));
      const step = 1 + Math.floor(rng.next() * 20);
      const zeroDebias = rng.next() < 0.6;
      const what = `movingAverage [${shape.join(', ')}] decay ${decay} step ${step} zeroDebias ${zeroDebias}`;
      const twin: Twin = {
        km: (a, b) => km.movingAverage(a, b, decay, step, zeroDebias),
        tf: (a, b) => tf.movingAverage(a, b, decay, step, zeroDebias),
      };
      expectSameAsTfjs(twin.km(v.km as Tensor<'float32'>, x.km as Tensor<'float32'>), twin.tf(v.tf, x.tf), what);
      expectSameGradients(rng, twin, [v, x], what);
    }
    const [v, x] = [pairOf(Float32Array.of(1, 2), [2]), pairOf(Float32Array.of(3, -1), [2])];
    expectSameAsTfjs(km.movingAverage(v.km, x.km, tensor(0.9), tensor(3)), tf.movingAverage(v.tf, x.tf, tf.scalar(0.9), tf.scalar(3)), 'scalar tensors');
  });

  it('bad input gets clear errors; reachable as km.movingAverage', () => {
    expect(() => km.movingAverage(tensor([1, 2]), tensor([1]), 0.9, 1)).toThrow(/km\.movingAverage\(\): v and x must have the same shape and dtype.*Received: v: float32 \[2\], x: float32 \[1\]/);
    expect(() => km.movingAverage(tensor([1, 2]), tensor([1, 2], [2], 'int32'), 0.9, 1)).toThrow(/same shape and dtype.*x: int32 \[2\]/);
    expect(() => km.movingAverage(tensor([1]), tensor([2]), 0.9)).toThrow(/km\.movingAverage\(\): zeroDebias \(the default\).*needs step.*Received: step=undefined/);
    expect(Array.from(km.movingAverage(tensor([1]), tensor([2]), 0.5, undefined, false).dataSync())).toEqual([1.5]);
    expect(kmPublic.movingAverage).toBe(km.movingAverage);
  });
});
