import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';
import { expectSameTrainingSteps } from '../testing/tfjs_step_parity.js';

// Each activation layer in a small model against tfjs-layers 4.22 on its cpu backend: the same
// weights give the same predictions, and the same losses over a few SGD steps on the same batches.
beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const [BATCH, FEATURES, HIDDEN, CLASSES, STEPS] = [8, 6, 7, 3, 4];
const random = new Random(21);
const xValues = Float32Array.from({ length: BATCH * FEATURES }, () => random.uniform(-2, 2));
const labels = Float32Array.from({ length: BATCH * CLASSES }, (_, i) => (i % CLASSES === Math.floor(i / CLASSES) % CLASSES ? 1 : 0));

interface Case {
  name: string;
  kerasm: () => km.layers.Layer;
  tfjs: () => tfl.layers.Layer;
  /** False where tfjs-layers cannot train the layer: its gradients are checked against finite differences instead. */
  trains?: false;
}

const cases: Case[] = [
  { name: 'leakyReLU', kerasm: () => km.layers.leakyReLU({ alpha: 0.2 }), tfjs: () => tfl.layers.leakyReLU({ alpha: 0.2 }) },
  { name: 'leakyReLU (default alpha 0.3)', kerasm: () => km.layers.leakyReLU(), tfjs: () => tfl.layers.leakyReLU() },
  { name: 'reLU with maxValue', kerasm: () => km.layers.reLU({ maxValue: 0.8 }), tfjs: () => tfl.layers.reLU({ maxValue: 0.8 }) },
  { name: 'elu', kerasm: () => km.layers.elu(), tfjs: () => tfl.layers.elu() },
  { name: 'thresholdedReLU', kerasm: () => km.layers.thresholdedReLU({ theta: 0.3 }), tfjs: () => tfl.layers.thresholdedReLU({ theta: 0.3 }),
    // tfjs-layers 4.22 builds it from tf.greater, which has no gradient: "gradient function not found for Greater".
    trains: false },
  { name: 'prelu', kerasm: () => km.layers.prelu({ alphaInitializer: 'glorotUniform' }), tfjs: () => tfl.layers.prelu({}) },
  { name: 'softmax', kerasm: () => km.layers.softmax(), tfjs: () => tfl.layers.softmax({ axis: -1 }) },
];

describe('activation layers against tfjs-layers 4.22: predictions and losses over SGD steps', () => {
  it.each(cases)('$name', async (c) => {
    km.utils.setRandomSeed(12);
    const ours = km.sequential([km.layers.dense({ units: HIDDEN, inputShape: [FEATURES], biasInitializer: 'glorotUniform' }), c.kerasm(), km.layers.dense({ units: CLASSES, activation: 'softmax' })]);
    const theirs = tfl.sequential({ layers: [tfl.layers.dense({ units: HIDDEN, inputShape: [FEATURES] }), c.tfjs(), tfl.layers.dense({ units: CLASSES, activation: 'softmax' })] });
    const initial = ours.getWeights();
    theirs.setWeights(initial.map((w) => tf.tensor(w.dataSync(), [...w.shape])));

    const x = km.tensor(xValues, [BATCH, FEATURES]);
    const tfX = tf.tensor(xValues, [BATCH, FEATURES]);
    const predicted = ours.predict(x).dataSync();
    const expected = (theirs.predict(tfX) as tf.Tensor).dataSync();
    predicted.forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThan(1e-5));
    if (c.trains === false) return;

    ours.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.5 }), loss: 'categoricalCrossentropy' });
    theirs.compile({ optimizer: tf.train.sgd(0.5), loss: 'categoricalCrossentropy' });
    const y = km.tensor(labels, [BATCH, CLASSES]);
    const tfY = tf.tensor(labels, [BATCH, CLASSES]);
    await expectSameTrainingSteps(ours, theirs, [x, y], [tfX, tfY], STEPS, { minMove: 1e-3, weightTolerance: 1e-4 });
  });
});
