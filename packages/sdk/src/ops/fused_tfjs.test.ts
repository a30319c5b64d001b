// km.fused against tfjs-core 4.22's tf.fused (CPU backend): every activation, with and without a
// bias, large products (on the WASM core, the bias and activation applied there) and small ones
// (the unfused ops), and gradients through the unfused path.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import type { Tensor } from '../tensor.js';
import { kernelCalls } from '../testing/core_calls.js';
import { expectCloseToTfjs, expectSameGradients, randomPair, type Pair } from '../testing/tfjs_op_parity.js';
import { Random } from '../utils/random.js';
import type { FusedActivation } from './fused.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.setBackend('wasm');
});

const ACTIVATIONS: FusedActivation[] = ['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu', 'prelu'];

/** The tail options for both libraries: a per-channel bias (or none), the activation and its parameters. */
function tails(rng: Random, channels: number, activation: FusedActivation, withBias: boolean) {
  const bias = withBias ? randomPair(rng, [channels], 'float32', 1) : undefined;
  const slopes = activation === 'prelu' ? randomPair(rng, [channels], 'float32', 0.5) : undefined;
  const alpha = activation === 'leakyrelu' ? 0.2 : undefined;
  return {
    km: { bias: bias?.km, activation, preluActivationWeights: slopes?.km, leakyreluAlpha: alpha },
    tf: { bias: bias?.tf, activation, preluActivationWeights: slopes?.tf, leakyreluAlpha: alpha },
  };
}

describe('km.fused gives tf.fused\'s results', () => {
  it('conv2d and depthwiseConv2d on the core: each activation, with and without a bias, bias and activation applied there', () => {
    const rng = new Random(61);
    // 2·20·20 windows of 3·3·8 taps·channels to 12 filters: 691,200 multiply-adds, on the core.
    const x = randomPair(rng, [2, 20, 20, 8], 'float32', 2);
    const filter = randomPair(rng, [3, 3, 8, 12], 'float32', 0.5);
    // 2·11·22 windows of 3·3·16 taps·channels, 2 filters each: 139,392 multiply-adds.
    const image = randomPair(rng, [2, 24, 24, 16], 'float32', 2);
    const depthwise = randomPair(rng, [3, 3, 16, 2], 'float32', 0.5);
    for (const activation of ACTIVATIONS) {
      for (const withBias of [true, false]) {
        const what = `${activation}${withBias ? ' with a bias' : ''}`;
        const conv = tails(rng, 12, activation, withBias);
        const [ours, calls] = kernelCalls(['matMulBiasActivation', 'matMul'], () => km.fused.conv2d({ x: x.km, filter: filter.km, strides: 1, pad: 'same', ...conv.km }));
        // prelu and the unfused path run the plain product; the others fuse it on the core.
        expect(calls, `conv2d ${what}: kernels`).toEqual(activation === 'prelu' ? [0, 1] : [1, 0]);
        expectCloseToTfjs(ours, tf.fused.conv2d({ x: x.tf as tf.Tensor4D, filter: filter.tf as tf.Tensor4D, strides: 1, pad: 'same', ...conv.tf }), `conv2d ${what}`);
        const dw = tails(rng, 32, activation, withBias);
        const [oursDw, dwCalls] = kernelCalls(['depthwiseForward', 'biasAdd', 'activation'], () => km.fused.depthwiseConv2d({ x: image.km, filter: depthwise.km, strides: [2, 1], pad: 'valid', ...dw.km }));
        const fusedHere = activation !== 'prelu';
        expect(dwCalls, `depthwiseConv2d ${what}: kernels`).toEqual([1, fusedHere && withBias ? 1 : 0, fusedHere && activation !== 'linear' ? 1 : 0]);
        expectCloseToTfjs(oursDw, tf.fused.depthwiseConv2d({ x: image.tf as tf.Tensor4D, filter: depthwise.tf as tf.Tensor4D, strides: [2, 1], pad: 'valid', ...dw.tf }), `depthwiseConv2d ${what}`);
      }
    }
  });

  it('a pointwise (1×1, stride 1, unpadded) convolution multiplies x itself on the core, without columns', () => {
    const rng = new Random(64);
    const x = randomPair(rng, [3, 17, 13, 24], 'float32', 2);
    const filter = randomPair(rng, [1, 1, 24, 40], 'float32', 0.5);
    const t = tails(rng, 40, 'relu6', true);
    const [ours, calls] = kernelCalls(['im2col', 'matMulBiasActivation'], () => km.fused.conv2d({ x: x.km, filter: filter.km, strides: 1, pad: 'valid', ...t.km }));
    expect(calls).toEqual([0, 1]);
    expectCloseToTfjs(ours, tf.fused.conv2d({ x: x.tf as tf.Tensor4D, filter: filter.tf as tf.Tensor4D, strides: 1, pad: 'valid', ...t.tf }), 'pointwise fused conv2d');
    const [plain, plainCalls] = kernelCalls(['im2col', 'matMul'], () => km.conv2d(x.km, filter.km, 1, 'same'));
    expect(plainCalls).toEqual([0, 1]);
    expectCloseToTfjs(plain, tf.conv2d(x.tf as tf.Tensor4D, filter.tf as tf.Tensor4D, 1, 'same'), 'pointwise conv2d');
    // Strided, a 1×1 kernel still reads windows: im2col runs.
    const [strided, stridedCalls] = kernelCalls(['im2col'], () => km.conv2d(x.km, filter.km, 2, 'same'));
    expect(stridedCalls[0]).toBeGreaterThan(0);
    expectCloseToTfjs(strided, tf.conv2d(x.tf as tf.Tensor4D, filter.tf as tf.Tensor4D, 2, 'same'), 'strided 1×1 conv2d');
  });

  it('small products, NCHW, a leakyrelu slope other than 0.2 and a broadcast bias by the unfused ops; matMul', () => {
    const rng = new Random(62);
    const x = randomPair(rng, [1, 5, 6, 3], 'float32', 2);
    const filter = randomPair(rng, [2, 2, 3, 4], 'float32', 0.5);
    for (const activation of ACTIVATIONS) {
      const t = tails(rng, 4, activation, true);
      const [ours, calls] = kernelCalls(['matMulBiasActivation', 'im2col'], () => km.fused.conv2d({ x: x.km, filter: filter.km, strides: 1, pad: 'valid', ...t.km }));
      expect(calls, `small conv2d ${activation}: host loops`).toEqual([0, 0]);
      expectCloseToTfjs(ours, tf.fused.conv2d({ x: x.tf as tf.Tensor4D, filter: filter.tf as tf.Tensor4D, strides: 1, pad: 'valid', ...t.tf }), `small conv2d ${activation}`);
      const a = randomPair(rng, [5, 7], 'float32', 2);
      const b = randomPair(rng, [4, 7], 'float32', 2);
      expectCloseToTfjs(km.fused.matMul({ a: a.km, b: b.km, transposeB: true, ...t.km }), tf.fused.matMul({ a: a.tf as tf.Tensor2D, b: b.tf as tf.Tensor2D, transposeB: true, ...t.tf }), `matMul ${activation}`);
    }
    const big = randomPair(rng, [2, 8, 20, 20], 'float32', 2);
    const bigFilter = randomPair(rng, [3, 3, 8, 12], 'float32', 0.5);
    const bias = randomPair(rng, [12], 'float32', 1);
    expectCloseToTfjs(
      km.fused.conv2d({ x: big.km, filter: bigFilter.km, strides: 1, pad: 'same', dataFormat: 'NCHW', bias: km.reshape(bias.km, [12, 1, 1]), activation: 'relu' }),
      tf.relu(tf.add(tf.conv2d(big.tf as tf.Tensor4D, bigFilter.tf as tf.Tensor4D, 1, 'same', 'NCHW'), tf.reshape(bias.tf, [12, 1, 1]))), 'NCHW conv2d');
    const nhwc = randomPair(rng, [2, 20, 20, 8], 'float32', 2);
    const [ours, calls] = kernelCalls(['matMulBiasActivation'], () => km.fused.conv2d({ x: nhwc.km, filter: bigFilter.km, strides: 1, pad: 'same', activation: 'leakyrelu', leakyreluAlpha: 0.1, bias: 0.5 }));
    expect(calls[0], 'a slope the core lacks and a scalar bias: unfused').toBe(0);
    expectCloseToTfjs(ours, tf.fused.conv2d({ x: nhwc.tf as tf.Tensor4D, filter: bigFilter.tf as tf.Tensor4D, strides: 1, pad: 'same', activation: 'leakyrelu', leakyreluAlpha: 0.1, bias: tf.scalar(0.5) }), 'leakyrelu 0.1');
  });

  it('gradients in every operand, through the unfused ops (large products too)', () => {
    const rng = new Random(63);
    const x = randomPair(rng, [2, 20, 20, 8], 'float32', 2);
    const filter = randomPair(rng, [3, 3, 8, 12], 'float32', 0.5);
    const bias = randomPair(rng, [12], 'float32', 1);
    const conv: { km: (...t: Tensor<'float32'>[]) => Tensor; tf: (...t: tf.Tensor[]) => tf.Tensor } = {
      km: (a, w, b) => km.fused.conv2d({ x: a, filter: w, strides: 1, pad: 'same', bias: b, activation: 'elu' }),
      tf: (a, w, b) => tf.elu(tf.add(tf.conv2d(a as tf.Tensor4D, w as tf.Tensor4D, 1, 'same'), b)),
    };
    expectSameGradients(rng, conv, [x, filter, bias] as Pair[], 'fused conv2d elu', (o, t, what) => expectCloseToTfjs(o, t, what, 1e-4));
    const a = randomPair(rng, [6, 5], 'float32', 2);
    const b = randomPair(rng, [5, 3], 'float32', 2);
    const mm = {
      km: (p: Tensor<'float32'>, q: Tensor<'float32'>) => km.fused.matMul({ a: p, b: q, activation: 'sigmoid' }),
      tf: (p: tf.Tensor, q: tf.Tensor) => tf.fused.matMul({ a: p as tf.Tensor2D, b: q as tf.Tensor2D, activation: 'sigmoid' }),
    };
    expectSameGradients(rng, mm, [a, b], 'fused matMul sigmoid', expectCloseToTfjs);
  });

  it('names a wrong activation and prelu without its slopes', () => {
    const x = km.zeros([1, 4, 4, 2]);
    const filter = km.zeros([1, 1, 2, 2]);
    expect(() => km.fused.conv2d({ x, filter, strides: 1, pad: 'same', activation: 'tanh' as FusedActivation })).toThrow(/km\.fused\.conv2d\(\): activation must be one of 'linear', 'relu', 'prelu'.*Received: "tanh"/);
    expect(() => km.fused.matMul({ a: km.zeros([2, 2]), b: km.zeros([2, 2]), activation: 'prelu' })).toThrow(/activation 'prelu' needs its slopes: pass preluActivationWeights/);
  });
});
