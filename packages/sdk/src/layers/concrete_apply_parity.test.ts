import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { dense as refDense } from '../testing/reference_ops.js';
import { expectClose } from '../testing/expect_close.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

function values(length: number, phase: number): Float32Array {
  return Float32Array.from({ length }, (_, i) => Math.sin(i * 0.37 + phase) * 1.5);
}

/**
 * Applies a kerasm layer and the same tfjs-layers 4.22 layer to the same data, the tfjs one
 * carrying the kerasm layer's weights (its first apply builds it, setWeights copies them in).
 */
function compareWithTfjs(ours: km.layers.Layer, theirs: tfl.layers.Layer, shapes: number[][], args: { training?: boolean } = {}): { ours: km.Tensor; theirs: tf.Tensor } {
  const data = shapes.map((shape, k) => values(shape.reduce((a, b) => a * b, 1), k));
  const kmInputs = data.map((v, k) => km.tensor(v, shapes[k]));
  const tfInputs = data.map((v, k) => tf.tensor(v, shapes[k]));
  const kmInput = kmInputs.length === 1 ? kmInputs[0] : kmInputs;
  const tfInput = tfInputs.length === 1 ? tfInputs[0] : tfInputs;
  // Inference calls build both layers and change nothing; the weights are copied before the call compared.
  ours.apply(kmInput);
  theirs.apply(tfInput);
  theirs.setWeights(ours.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
  const y = ours.apply(kmInput, args);
  const expected = theirs.apply(tfInput, args) as tf.Tensor;
  expect(y.shape).toEqual(expected.shape);
  expect(y.dtype).toBe('float32');
  expectClose(y.dataSync(), expected.dataSync());
  return { ours: y, theirs: expected };
}

describe('layer.apply on concrete tensors matches tfjs-layers 4.22 apply on the same weights', () => {
  it('Dense with a relu, built from the tensor (batch 3, 5 features)', () => {
    compareWithTfjs(km.layers.dense({ units: 4, activation: 'relu' }), tfl.layers.dense({ units: 4, activation: 'relu' }), [[3, 5]]);
  });

  it.each([
    { padding: 'valid' as const, strides: 1 },
    { padding: 'same' as const, strides: 2 },
  ])('Conv2D, padding $padding, strides $strides', ({ padding, strides }) => {
    const args = { filters: 3, kernelSize: 3, padding, strides, activation: 'tanh' as const };
    compareWithTfjs(km.layers.conv2d(args), tfl.layers.conv2d(args), [[2, 7, 6, 2]]);
  });

  it('DepthwiseConv2D', () => {
    const args = { kernelSize: 2, depthMultiplier: 2 };
    compareWithTfjs(km.layers.depthwiseConv2d(args), tfl.layers.depthwiseConv2d(args), [[2, 5, 5, 3]]);
  });

  it.each(['max', 'avg'] as const)('%s pooling, and its global form', (kind) => {
    const args = { poolSize: 2, strides: 2, padding: 'same' as const };
    compareWithTfjs(kind === 'max' ? km.layers.maxPooling2d(args) : km.layers.averagePooling2d(args), kind === 'max' ? tfl.layers.maxPooling2d(args) : tfl.layers.averagePooling2d(args), [[2, 5, 4, 3]]);
    compareWithTfjs(kind === 'max' ? km.layers.globalMaxPooling2d() : km.layers.globalAveragePooling2d(), kind === 'max' ? tfl.layers.globalMaxPooling2d({}) : tfl.layers.globalAveragePooling2d({}), [[2, 5, 4, 3]]);
  });

  it.each(['add', 'multiply', 'average', 'concatenate'] as const)('%s of three tensors', (kind) => {
    compareWithTfjs(km.layers[kind](), tfl.layers[kind]({}), [[2, 3, 4], [2, 3, 4], [2, 3, 4]]);
  });

  it('BatchNormalization in inference uses the moving statistics', () => {
    const bn = km.layers.batchNormalization();
    bn.apply(km.tensor(values(12, 0), [4, 3]));
    // Moving statistics away from their initial 0 and 1, so inference visibly uses them.
    bn.setWeights([km.tensor([1.5, 0.5, 2]), km.tensor([0.1, -0.2, 0.3]), km.tensor([0.4, -1, 2]), km.tensor([2, 0.5, 3])]);
    compareWithTfjs(bn, tfl.layers.batchNormalization({}), [[4, 3]]);
  });

  it('BatchNormalization with { training: true } uses the batch statistics and moves the moving ones, as tfjs does', () => {
    const bn = km.layers.batchNormalization({ momentum: 0.8 });
    const theirs = tfl.layers.batchNormalization({ momentum: 0.8 });
    compareWithTfjs(bn, theirs, [[6, 3]], { training: true });
    // tfjs-layers 4.22 (and Keras 3) update the moving statistics in a training-mode call.
    const [gamma, beta, movingMean, movingVariance] = bn.getWeights();
    expect(gamma.dataSync()).toEqual(new Float32Array([1, 1, 1]));
    expect(beta.dataSync()).toEqual(new Float32Array([0, 0, 0]));
    const tfWeights = theirs.getWeights();
    expectClose(movingMean.dataSync(), tfWeights[2].dataSync());
    expectClose(movingVariance.dataSync(), tfWeights[3].dataSync());
    expect(Array.from(movingMean.dataSync()).some((m) => Math.abs(m) > 1e-3)).toBe(true);
  });
});

describe('layer.apply on concrete tensors against naive loops', () => {
  it('Dense is x·kernel + bias per sample', () => {
    const layer = km.layers.dense({ units: 3 });
    const x = values(4 * 5, 1);
    const y = layer.apply(km.tensor(x, [4, 5])).dataSync();
    const [kernel, bias] = layer.getWeights().map((w) => Array.from(w.dataSync()));
    for (let r = 0; r < 4; r++) expectClose(y.subarray(r * 3, r * 3 + 3), refDense(Array.from(x.subarray(r * 5, r * 5 + 5)), kernel, bias));
  });

  it('Add and Concatenate of two tensors', () => {
    const a = values(6, 0);
    const b = values(6, 2);
    const sum = km.layers.add().apply([km.tensor(a, [2, 3]), km.tensor(b, [2, 3])]).dataSync();
    expectClose(sum, a.map((v, i) => v + b[i]));
    const joined = km.layers.concatenate().apply([km.tensor(a, [2, 3]), km.tensor(b, [2, 3])]);
    expect(joined.shape).toEqual([2, 6]);
    expectClose(joined.dataSync(), [...a.subarray(0, 3), ...b.subarray(0, 3), ...a.subarray(3), ...b.subarray(3)]);
  });
});
