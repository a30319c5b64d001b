import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import type { LayerActivation } from './activations.js';
import { Random } from '../utils/random.js';

// The activations added after the first five, against TensorFlow.js 4.22 on its cpu backend: the
// same weights through Dense (activation fused into the matMul) and an Activation layer, then
// one SGD step on the same batch, whose weight changes are the gradients.
beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const BATCH = 6;
const random = new Random(5);
// Inputs up to ±4 reach relu6's and hardSigmoid's flat parts and the exp-based kinds' far sides.
const xValues = Float32Array.from({ length: BATCH * 5 }, () => random.uniform(-4, 4));
const yValues = Float32Array.from({ length: BATCH * 2 }, () => random.uniform(-1, 1));

function kerasmModel(kind: LayerActivation): km.LayersModel {
  return km.sequential([
    km.layers.dense({ units: 6, activation: kind, inputShape: [5] }),
    km.layers.dense({ units: 4 }),
    km.layers.activation({ activation: kind }),
    km.layers.dense({ units: 2 }),
  ]);
}

/** Largest difference relative to max(1, |expected|). */
function worstRelative(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i])));
  return worst;
}

/** Predictions, then the weights after one SGD step with lr 0.1 on mean squared error. */
async function kerasmRun(kind: LayerActivation, initial: km.Tensor[], xs = xValues): Promise<{ predicted: Float32Array; after: Float32Array[] }> {
  const model = kerasmModel(kind);
  model.setWeights(initial);
  const predicted = model.predict(km.tensor(xs, [BATCH, 5])).dataSync() as Float32Array;
  model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: 'meanSquaredError' });
  await model.trainOnBatch(km.tensor(xs, [BATCH, 5]), km.tensor(yValues, [BATCH, 2]));
  return { predicted, after: model.getWeights().map((w) => w.dataSync() as Float32Array) };
}

function expectSameStep(ours: { predicted: Float32Array; after: Float32Array[] }, predicted: ArrayLike<number>, after: ArrayLike<number>[], initial: km.Tensor[]): void {
  expect(worstRelative(ours.predicted, predicted)).toBeLessThan(1e-5);
  ours.after.forEach((w, i) => {
    const start = initial[i].dataSync();
    // The step itself (after − before), so that a wrong gradient cannot hide behind the weights' size.
    const ourStep = w.map((v, j) => v - start[j]);
    const theirStep = Array.from(after[i], (v, j) => v - start[j]);
    const scale = Math.max(1e-6, ...theirStep.map(Math.abs));
    expect(Math.max(...ourStep.map((v, j) => Math.abs(v - theirStep[j]))) / scale).toBeLessThan(1e-3);
    expect(scale).toBeGreaterThan(1e-6);
  });
}

describe('activations against tfjs-layers 4.22: Dense and Activation layer, forward and one training step', () => {
  it.each(['elu', 'selu', 'softplus', 'softsign', 'relu6', 'hardSigmoid', 'swish', 'gelu', 'gelu_new', 'mish', 'logSoftmax'] as const)('%s', async (kind) => {
    km.utils.setRandomSeed(8);
    const initial = kerasmModel(kind).getWeights();
    const ours = await kerasmRun(kind, initial);

    // tfjs-layers 4.22 registers 'logSoftmax' but leaves it out of its ActivationIdentifier type.
    const tfjsKind = kind as NonNullable<Parameters<typeof tfl.layers.activation>[0]['activation']>;
    const reference = tfl.sequential({
      layers: [
        tfl.layers.dense({ units: 6, activation: tfjsKind, inputShape: [5] }),
        tfl.layers.dense({ units: 4 }),
        tfl.layers.activation({ activation: tfjsKind }),
        tfl.layers.dense({ units: 2 }),
      ],
    });
    reference.setWeights(initial.map((w) => tf.tensor(w.dataSync(), [...w.shape])));
    const predicted = (reference.predict(tf.tensor(xValues, [BATCH, 5])) as tf.Tensor).dataSync();
    reference.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    await reference.trainOnBatch(tf.tensor(xValues, [BATCH, 5]), tf.tensor(yValues, [BATCH, 2]));
    expectSameStep(ours, predicted, reference.getWeights().map((w) => w.dataSync()), initial);
  });

  // tfjs-layers 4.22 has no activation named 'exponential' or Keras 3's 'leaky_relu', 'hard_tanh',
  // 'hard_silu', 'log_sigmoid' and Keras 3's later element-wise ones: the reference is the same network written with tfjs-core ops, and its gradients from tf.grads.
  it.each([
    ['exponential', (z: tf.Tensor) => tf.exp(z)],
    ['leaky_relu', (z: tf.Tensor) => tf.leakyRelu(z, 0.2)],
    ['hard_tanh', (z: tf.Tensor) => tf.clipByValue(z, -1, 1)],
    ['hard_silu', (z: tf.Tensor) => tf.mul(z, tf.div(tf.relu6(tf.add(z, 3)), 6))],
    // −softplus(−z): tf.logSigmoid's own custom gradient fails inside tf.grads in tfjs-core 4.22.
    ['log_sigmoid', (z: tf.Tensor) => tf.neg(tf.softplus(tf.neg(z)))],
    // Keras 3's later ones, written as Keras 3 defines them.
    ['squareplus', (z: tf.Tensor) => tf.div(tf.add(z, tf.sqrt(tf.add(tf.square(z), 4))), 2)],
    // Piecewise ones through relu and step: tf.grads has no gradient for tfjs' comparisons.
    ['soft_shrink', (z: tf.Tensor) => tf.sub(tf.relu(tf.sub(z, 0.5)), tf.relu(tf.sub(-0.5, z)))],
    ['hard_shrink', (z: tf.Tensor) => tf.mul(z, tf.add(tf.step(tf.sub(z, 0.5)), tf.step(tf.sub(-0.5, z))))],
    ['tanh_shrink', (z: tf.Tensor) => tf.sub(z, tf.tanh(z))],
    ['sparse_plus', (z: tf.Tensor) => {
      const above = tf.step(tf.sub(z, 1));
      return tf.add(tf.mul(above, z), tf.mul(tf.sub(1, above), tf.mul(0.25, tf.square(tf.relu(tf.add(z, 1))))));
    }],
  ] as const)('%s (against tfjs-core ops and tf.grads)', async (kind, activate) => {
    km.utils.setRandomSeed(8);
    const initial = kerasmModel(kind).getWeights();
    // e^(e^z) overflows float32 for the other tests' ±4 inputs.
    const xs = kind === 'exponential' ? xValues.map((v) => v / 4) : xValues;
    const ours = await kerasmRun(kind, initial, xs);

    const x = tf.tensor2d(xs, [BATCH, 5]);
    const forward = (params: tf.Tensor[]): tf.Tensor => {
      const [w1, b1, w2, b2, w3, b3] = params;
      const h1 = activate(tf.add(tf.matMul(x, w1 as tf.Tensor2D), b1));
      const h2 = activate(tf.add(tf.matMul(h1 as tf.Tensor2D, w2 as tf.Tensor2D), b2));
      return tf.add(tf.matMul(h2 as tf.Tensor2D, w3 as tf.Tensor2D), b3);
    };
    const params = initial.map((w) => tf.tensor(w.dataSync(), [...w.shape]));
    const predicted = forward(params).dataSync();
    const loss = (...p: tf.Tensor[]): tf.Scalar => tf.mean(tf.square(tf.sub(forward(p), tf.tensor2d(yValues, [BATCH, 2])))) as tf.Scalar;
    const grads = tf.grads(loss)(params);
    const after = params.map((p, i) => tf.sub(p, tf.mul(grads[i], 0.1)).dataSync());
    expectSameStep(ours, predicted, after, initial);
  });
});
