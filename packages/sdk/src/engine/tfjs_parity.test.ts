import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

// TensorFlow.js on its plain-JavaScript cpu backend is the independent reference: same initial
// weights, same batches in the same order, then losses and weights must agree.
let x: km.Tensor;
let y: km.Tensor;

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
  const { train } = await km.datasets.mnist.load();
  x = train.x.slice(0, 640);
  y = train.y.slice(0, 640);
});

type OptimizerCase = { name: string; kerasm: () => km.optimizers.Optimizer; tfjs: () => tf.Optimizer; tolerance: number };

const optimizerCases: OptimizerCase[] = [
  // tfjs' momentum update (v = μv + g; p -= lr·v) is Keras' (v = μv − lr·g; p += v) rescaled: equal in exact arithmetic.
  { name: 'sgd momentum', kerasm: () => km.optimizers.sgd({ learningRate: 0.05, momentum: 0.9 }), tfjs: () => tf.train.momentum(0.05, 0.9), tolerance: 1e-5 },
  { name: 'sgd', kerasm: () => km.optimizers.sgd({ learningRate: 0.1 }), tfjs: () => tf.train.sgd(0.1), tolerance: 1e-5 },
  // tfjs adds ε to the bias-corrected √v̂ and Keras to √v, which differ visibly for gradients near
  // ε; with a tiny ε both reduce to the same update. Adam's near-sign updates amplify float32
  // rounding of near-zero gradients, hence the looser bound.
  { name: 'adam', kerasm: () => km.optimizers.adam({ epsilon: 1e-10 }), tfjs: () => tf.train.adam(0.001, 0.9, 0.999, 1e-10), tolerance: 1e-3 },
];

describe('training parity with tfjs-layers 4.22 (cpu backend)', () => {
  it.each(optimizerCases)('$name: epoch losses and weight updates over 20 steps agree', async ({ kerasm, tfjs, tolerance }) => {
    km.utils.setRandomSeed(11);
    const model = km.sequential([
      km.layers.flatten({ inputShape: [28, 28] }),
      km.layers.dense({ units: 64, activation: 'relu' }),
      km.layers.dense({ units: 10, activation: 'softmax' }),
    ]);
    model.compile({ optimizer: kerasm(), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const initial = model.getWeights();

    const reference = tfl.sequential({
      layers: [
        tfl.layers.flatten({ inputShape: [28, 28] }),
        tfl.layers.dense({ units: 64, activation: 'relu' }),
        tfl.layers.dense({ units: 10, activation: 'softmax' }),
      ],
    });
    reference.setWeights(initial.map((w) => tf.tensor(w.dataSync(), [...w.shape])));
    reference.compile({ optimizer: tfjs(), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });

    const ours = await model.fit(x, y, { epochs: 2, batchSize: 64, shuffle: false, verbose: 0 });
    const theirs = await reference.fit(tf.tensor(x.dataSync(), [...x.shape]), tf.tensor(y.dataSync(), [640], 'float32'), {
      epochs: 2, batchSize: 64, shuffle: false, verbose: 0,
    });
    ours.history.loss.forEach((loss, i) => expect(Math.abs(loss - (theirs.history.loss[i] as number))).toBeLessThan(1e-4));
    ours.history.accuracy.forEach((acc, i) => expect(acc).toBeCloseTo(theirs.history.acc[i] as number, 6));

    // Compare the distance travelled from the shared start: ‖ours − theirs‖ / ‖ours − initial‖.
    const ourWeights = model.getWeights();
    const theirWeights = reference.getWeights();
    let diff = 0;
    let moved = 0;
    ourWeights.forEach((w, i) => {
      const [a, b, start] = [w.dataSync(), theirWeights[i].dataSync(), initial[i].dataSync()];
      for (let j = 0; j < a.length; j++) {
        diff += (a[j] - b[j]) ** 2;
        moved += (a[j] - start[j]) ** 2;
      }
    });
    expect(Math.sqrt(moved)).toBeGreaterThan(1e-2);
    expect(Math.sqrt(diff / moved)).toBeLessThan(tolerance);
  });

  it('predict matches tfjs on the same weights', async () => {
    km.utils.setRandomSeed(12);
    const model = km.sequential([
      km.layers.flatten({ inputShape: [28, 28] }),
      km.layers.dense({ units: 33, activation: 'tanh' }),
      km.layers.dense({ units: 10, activation: 'sigmoid' }),
      km.layers.activation({ activation: 'softmax' }),
    ]);
    const reference = tfl.sequential({
      layers: [
        tfl.layers.flatten({ inputShape: [28, 28] }),
        tfl.layers.dense({ units: 33, activation: 'tanh' }),
        tfl.layers.dense({ units: 10, activation: 'sigmoid' }),
        tfl.layers.activation({ activation: 'softmax' }),
      ],
    });
    reference.setWeights(model.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
    const ours = model.predict(x).dataSync();
    const theirs = (reference.predict(tf.tensor(x.dataSync(), [...x.shape])) as tf.Tensor).dataSync();
    let worst = 0;
    for (let j = 0; j < ours.length; j++) worst = Math.max(worst, Math.abs(ours[j] - theirs[j]));
    expect(worst).toBeLessThan(1e-6);
  });
});

describe('losses over outputs with more than one axis, against tfjs-layers', () => {
  it.each(['meanSquaredError', 'meanAbsoluteError', 'binaryCrossentropy', 'kullbackLeiblerDivergence'])('%s on a [2, 3] output per sample', async (loss) => {
    km.utils.setRandomSeed(3);
    const model = km.sequential([
      km.layers.dense({ units: 6, activation: 'sigmoid', inputShape: [4] }),
      km.layers.reshape({ targetShape: [2, 3] }),
    ]);
    model.compile({ optimizer: 'sgd', loss });
    const reference = tfl.sequential({
      layers: [tfl.layers.dense({ units: 6, activation: 'sigmoid', inputShape: [4] }), tfl.layers.reshape({ targetShape: [2, 3] })],
    });
    reference.setWeights(model.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
    reference.compile({ optimizer: 'sgd', loss });
    const xs = Float32Array.from({ length: 20 }, (_, i) => Math.sin(i));
    const ys = Float32Array.from({ length: 30 }, (_, i) => (Math.cos(i) + 1) / 2);
    const [ours] = await model.evaluate(km.tensor(xs, [5, 4]), km.tensor(ys, [5, 2, 3]), { verbose: 0 });
    const theirs = (reference.evaluate(tf.tensor(xs, [5, 4]), tf.tensor(ys, [5, 2, 3])) as tf.Scalar).dataSync()[0];
    expect(ours).toBeCloseTo(theirs, 5);
  });
});
